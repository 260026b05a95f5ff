-- Each kept unmatched row as the full scan read it, so a steady check reads none of them again while neither
-- table's counters moved: for an identity without a profile its creation time, whether it was left out
-- (anonymous or deleted), whether deleted, and the transaction that wrote it (bulk loads); for a profile
-- without an identity whether it was soft-deleted. NULL in rows a V7 run kept.
ALTER TABLE scan_unmatched ADD COLUMN IF NOT EXISTS created_at timestamptz;
ALTER TABLE scan_unmatched ADD COLUMN IF NOT EXISTS excluded boolean;
ALTER TABLE scan_unmatched ADD COLUMN IF NOT EXISTS deleted boolean;
ALTER TABLE scan_unmatched ADD COLUMN IF NOT EXISTS xid text;
ALTER TABLE scan_unmatched ADD COLUMN IF NOT EXISTS soft_deleted boolean;
-- Whether scan_unmatched holds those columns for every kept row of this target (false: a V7 baseline, whose
-- rows a steady check must read again from the watched tables).
ALTER TABLE scan_state ADD COLUMN IF NOT EXISTS unmatched_rows_kept boolean NOT NULL DEFAULT false;
-- The tables and columns the full scan read (TargetSchema.rowShape): pointing ghostwatch at other tables or
-- columns (or another anonymous or deleted-at rule) makes the next run scan in full. '' from earlier versions.
ALTER TABLE scan_state ADD COLUMN IF NOT EXISTS row_shape text NOT NULL DEFAULT '';
