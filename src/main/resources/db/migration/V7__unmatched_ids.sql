-- Steady state with ghosts or orphans standing: the ids of every unmatched row the last full scan found
-- (identities without a profile, profiles without an identity, excluded and soft-deleted ones included), kept
-- when there are at most ghostwatch.steady-state-max-unmatched of them. A steady check reads exactly these rows
-- again by primary key instead of scanning both tables. Replaced with scan_state by every full scan.
CREATE TABLE IF NOT EXISTS scan_unmatched (
    target text NOT NULL,
    side   text NOT NULL CHECK (side IN ('identity', 'profile')),
    id     text NOT NULL,
    PRIMARY KEY (target, side, id)
);
-- Whether scan_unmatched holds every unmatched id of this target's last full scan (false: more than the bound,
-- or a baseline from before V7): without them a baseline with unmatched rows cannot be carried.
ALTER TABLE scan_state ADD COLUMN IF NOT EXISTS unmatched_kept boolean NOT NULL DEFAULT false;
-- Each table's committed rows (n_live_tup), vacuum and analyze count, and relfilenode at the full scan: a steady
-- check moves the row counts by the committed rows (a rolled-back insert, such as the canary's, counts for
-- nothing) while no vacuum or analyze re-estimated them, and scans in full after a TRUNCATE or a rewrite.
ALTER TABLE scan_state ADD COLUMN IF NOT EXISTS identity_live bigint NOT NULL DEFAULT -1;
ALTER TABLE scan_state ADD COLUMN IF NOT EXISTS profile_live bigint NOT NULL DEFAULT -1;
ALTER TABLE scan_state ADD COLUMN IF NOT EXISTS identity_maintenance bigint NOT NULL DEFAULT -1;
ALTER TABLE scan_state ADD COLUMN IF NOT EXISTS profile_maintenance bigint NOT NULL DEFAULT -1;
ALTER TABLE scan_state ADD COLUMN IF NOT EXISTS identity_filenode bigint NOT NULL DEFAULT -1;
ALTER TABLE scan_state ADD COLUMN IF NOT EXISTS profile_filenode bigint NOT NULL DEFAULT -1;
