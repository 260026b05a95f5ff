-- A fix stopped on request (SIGTERM, Ctrl-C) between batches, or whose process died, is 'interrupted':
-- its committed batches stay and a rerun completes it, which is not what 'failed' says.
ALTER TABLE remediations DROP CONSTRAINT IF EXISTS remediations_outcome_check;
ALTER TABLE remediations ADD CONSTRAINT remediations_outcome_check
    CHECK (outcome IN ('running', 'completed', 'failed', 'interrupted'));
UPDATE remediations SET outcome = 'interrupted'
WHERE outcome = 'failed' AND error LIKE 'interrupted: the process ended%';

-- Audit rows are written before their ids and never deleted, so the foreign key only cost a check per repaired
-- row: a fifth of every backfill batch's time.
ALTER TABLE remediated_ids DROP CONSTRAINT IF EXISTS remediated_ids_remediation_id_fkey;
