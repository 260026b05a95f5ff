-- ghostwatch's grants, per feature, so it never runs as a superuser or the table owner.
--   psql -v role=ghostwatch -v database=app -f sql/least-privilege.sql
-- Names follow the defaults (auth.users, public.users, schema ghostwatch); edit them if you configured others.
-- Create the role first, with a password from your secret store:
--   CREATE ROLE ghostwatch LOGIN PASSWORD '...';

\set ON_ERROR_STOP on

-- 1. Checks (read-only). Column grants: the monitor reads ids and timestamps, never emails.
GRANT CONNECT ON DATABASE :"database" TO :"role";
GRANT USAGE ON SCHEMA auth TO :"role";
-- xmin tells ghosts loaded in bulk (a restore with triggers off) from signups.
GRANT SELECT (id, created_at, is_anonymous, xmin) ON auth.users TO :"role";
GRANT USAGE ON SCHEMA public TO :"role";
GRANT SELECT (id, deleted_at) ON public.users TO :"role";
-- The catalog reads (pg_trigger, pg_proc, pg_db_role_setting) need no grant, nor do the statistics that count
-- attempted and committed signups (pg_stat_user_tables) or the locks that block them (pg_locks).
-- To name the user, state and statement of a session that blocks signups (signups_blocked), not only its pid:
-- GRANT pg_read_all_stats TO :"role";

-- 2. History and the notification outbox: a schema the role owns; Flyway creates its tables there.
CREATE SCHEMA IF NOT EXISTS ghostwatch AUTHORIZATION :"role";

-- 3. Emails for Customer Success, only with ghostwatch.notify.include-emails=true (personal data):
-- GRANT SELECT (email) ON auth.users TO :"role";

-- 4. Fixes (`ghostwatch fix`, run by an operator; better a role of their own), only what each writes:
-- GRANT SELECT ON auth.users TO :"role";                    -- the backfill copies the mapped columns
-- GRANT INSERT ON public.users TO :"role";                  -- fix backfill
-- GRANT UPDATE (deleted_at) ON public.users TO :"role";     -- fix orphans
-- GRANT pg_monitor TO :"role";                              -- --max-lag: the standbys' replay positions
