-- ghostwatch's own schema in the target database. Flyway runs this with search_path set to the configured
-- schema (ghostwatch.history.schema), so names here are unqualified. Every statement is idempotent: Flyway
-- records a migration on a second connection, and a process killed between the two must not leave a schema
-- that the next run cannot migrate.

-- One row per run: the runbook's monitoring history (get_sync_status_history).
CREATE TABLE IF NOT EXISTS check_runs (
    run_id                     uuid PRIMARY KEY,
    target                     text        NOT NULL,
    started_at                 timestamptz NOT NULL,
    finished_at                timestamptz NOT NULL,
    outcome                    text        NOT NULL CHECK (outcome IN ('checked', 'failed')),
    priority                   text        CHECK (priority IN ('OK', 'P2', 'P1', 'P0')),
    identities                 bigint,
    profiles                   bigint,
    parity_delta               bigint,
    ghosts                     bigint,
    ghosts_old                 bigint,
    ghosts_recent              bigint,
    ghosts_without_created_at  bigint,
    oldest_ghost_created_at    timestamptz,
    orphans                    bigint,
    orphans_soft_deleted       bigint,
    trigger_present            boolean,
    trigger_enabled            boolean,
    trigger_tgenabled          text,
    finding_codes              text[],
    duration_ms                bigint      NOT NULL,
    error                      text
);
CREATE INDEX IF NOT EXISTS check_runs_target_finished ON check_runs (target, finished_at DESC);

-- Where each target's incident stands, so a notification goes out on a change, not on every run.
CREATE TABLE IF NOT EXISTS notify_state (
    target              text PRIMARY KEY,
    priority            text        NOT NULL CHECK (priority IN ('OK', 'P2', 'P1', 'P0')),
    priority_since      timestamptz NOT NULL,
    incident_opened_at  timestamptz,
    last_notified_at    timestamptz,
    escalated_at        timestamptz
);

-- Notifications not yet delivered survive the run that made them and go out with a later one, once.
CREATE TABLE IF NOT EXISTS outbox (
    id            uuid PRIMARY KEY,
    target        text        NOT NULL,
    channel       text        NOT NULL CHECK (channel IN ('slack', 'webhook')),
    kind          text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    payload       text        NOT NULL,
    attempts      int         NOT NULL DEFAULT 0,
    runs_tried    int         NOT NULL DEFAULT 0,
    last_error    text,
    delivered_at  timestamptz,
    given_up_at   timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (target, created_at) WHERE delivered_at IS NULL AND given_up_at IS NULL;
