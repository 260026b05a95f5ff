-- Failing signups: what each target's last check read of the identity table's statistics, so the next check
-- can count the signups attempted, committed and rolled back in between (see README "Failing signups").
-- One row per target, replaced by every check that reached the database.
CREATE TABLE IF NOT EXISTS signup_state (
    target                    text        PRIMARY KEY,
    checked_at                timestamptz NOT NULL,
    server_start              timestamptz NOT NULL,
    stats_reset               timestamptz,
    identity_inserts          bigint      NOT NULL,
    identity_deletes          bigint      NOT NULL,
    identity_live             bigint      NOT NULL,
    identity_maintenance      bigint      NOT NULL,
    identity_filenode         bigint      NOT NULL,
    canary_inserts            bigint      NOT NULL,
    counting_since            timestamptz NOT NULL,
    last_commit_seen_at       timestamptz,
    rolled_back_since_commit  bigint      NOT NULL,
    failing                   boolean     NOT NULL
);
