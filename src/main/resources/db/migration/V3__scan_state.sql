-- Steady state: what the last full scan of each target found, with the table counters read just before it.
-- A later run that finds the counters moved in lockstep (and nothing else changed) reports these numbers
-- without scanning; see README "Steady state". One row per target, replaced by every full scan.
CREATE TABLE IF NOT EXISTS scan_state (
    target                 text        PRIMARY KEY,
    full_scan_at           timestamptz NOT NULL,
    server_start           timestamptz NOT NULL,
    stats_reset            timestamptz,
    identity_inserts       bigint      NOT NULL,
    identity_updates       bigint      NOT NULL,
    identity_deletes       bigint      NOT NULL,
    profile_inserts        bigint      NOT NULL,
    profile_updates        bigint      NOT NULL,
    profile_deletes        bigint      NOT NULL,
    trigger_state          text        NOT NULL,
    identities             bigint      NOT NULL,
    profiles               bigint      NOT NULL,
    ghosts                 bigint      NOT NULL,
    anonymous_excluded     bigint      NOT NULL,
    orphans                bigint      NOT NULL,
    orphans_soft_deleted   bigint      NOT NULL
);
