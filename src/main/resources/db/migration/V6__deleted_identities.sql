-- Identities with a deletion time (Supabase's soft delete sets auth.users.deleted_at) are not ghosts; the steady
-- state carries how many the last full scan left out, beside the anonymous ones.
ALTER TABLE scan_state ADD COLUMN IF NOT EXISTS deleted_excluded bigint NOT NULL DEFAULT 0;
