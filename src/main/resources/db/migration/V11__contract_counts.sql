-- The last count of each contract the signup path shows besides the profile's (a second table its functions
-- write), per target: its numbers, the contract it was counted by (shape), and the statistics' cumulative counts
-- of the identity table and of that table read before it. A check carries the count while those counts say no
-- row that could change it moved; otherwise, or once it is older than the full scan interval, it counts again.
CREATE TABLE IF NOT EXISTS contract_counts (
    target            text        NOT NULL,
    contract          text        NOT NULL,
    shape             text        NOT NULL,
    counted_at        timestamptz NOT NULL,
    identity_inserts  bigint      NOT NULL,
    identity_updates  bigint      NOT NULL,
    identity_deletes  bigint      NOT NULL,
    table_inserts     bigint      NOT NULL,
    table_deletes     bigint      NOT NULL,
    missing           bigint      NOT NULL,
    oldest_missing    timestamptz,
    sample            text[]      NOT NULL,
    others_without    bigint      NOT NULL,
    orphans           bigint      NOT NULL,
    orphan_sample     text[]      NOT NULL,
    PRIMARY KEY (target, contract)
);

-- A fix may backfill one contract's missing rows (fix backfill --contract): its audit rows say so.
ALTER TABLE remediations DROP CONSTRAINT IF EXISTS remediations_action_check;
ALTER TABLE remediations ADD CONSTRAINT remediations_action_check
    CHECK (action IN ('trigger', 'backfill', 'orphans', 'contract'));
