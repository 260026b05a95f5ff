-- The runbook's log_cleanup_job, made an audit trail: one row per applied fix, and the ids a backfill
-- repaired, so Step 6's list of affected users can still be produced after the backfill.
CREATE TABLE IF NOT EXISTS remediations (
    id             uuid PRIMARY KEY,
    target         text        NOT NULL,
    action         text        NOT NULL CHECK (action IN ('trigger', 'backfill', 'orphans')),
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    database_role  text        NOT NULL DEFAULT current_user,
    reason         text        NOT NULL,
    outcome        text        NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'completed', 'failed')),
    rows_affected  bigint      NOT NULL DEFAULT 0,
    before_counts  jsonb,
    after_counts   jsonb,
    statements     text,
    error          text
);
CREATE INDEX IF NOT EXISTS remediations_target_started ON remediations (target, started_at DESC);

CREATE TABLE IF NOT EXISTS remediated_ids (
    remediation_id  uuid        NOT NULL REFERENCES remediations (id) ON DELETE CASCADE,
    user_id         text        NOT NULL,
    repaired_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (remediation_id, user_id)
);
CREATE INDEX IF NOT EXISTS remediated_ids_repaired ON remediated_ids (repaired_at);
