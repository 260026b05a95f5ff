-- A kept identity the signup path left out by design at a full scan (a guest, a user not yet confirmed), carried
-- through the full scans after it while it stays unmatched: when it is a ghost now, an update took it (a guest's
-- conversion) without its profile being made, and the report names it so.
ALTER TABLE scan_unmatched ADD COLUMN IF NOT EXISTS left_out_before boolean NOT NULL DEFAULT false;
