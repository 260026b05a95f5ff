-- ghostwatch's grants, per feature, so it never runs as a superuser or the table owner.
--   psql -v role=ghostwatch -v database=app -f sql/least-privilege.sql
-- Names follow the defaults (auth.users, public.users, schema ghostwatch); edit them if you configured others.
-- Create the role first, with a password from your secret store:
--   CREATE ROLE ghostwatch LOGIN PASSWORD '...';

\set ON_ERROR_STOP on

-- 1. Checks (read-only). Column grants: the monitor reads ids and timestamps, never emails.
GRANT CONNECT ON DATABASE :"database" TO :"role";
GRANT USAGE ON SCHEMA auth TO :"role";
-- xmin tells ghosts loaded in bulk (a restore with triggers off) from signups; email_confirmed_at lets a profile
-- made on confirmation (the signup path's condition) be judged from the confirmation, not from the signup.
GRANT SELECT (id, created_at, is_anonymous, deleted_at, email_confirmed_at, xmin) ON auth.users TO :"role";
GRANT USAGE ON SCHEMA public TO :"role";
GRANT SELECT (id, deleted_at) ON public.users TO :"role";
-- Row-level security on either table (Supabase turns it on for auth.users, with no policy) hides rows from these
-- grants, and ghostwatch then refuses to judge (exit 2, naming the table). Let the role read every row, as the
-- table's owner (on Supabase: SET ROLE supabase_auth_admin first); the column grants above still keep e-mails out:
-- CREATE POLICY ghostwatch_read ON auth.users FOR SELECT TO :"role" USING (true);
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

-- 5. The signup canary (opt-in, ghostwatch.canary.enabled=true) signs up as the signup role, so the monitor must be
-- a member of it. A plain GRANT inherits (PostgreSQL 15+ by default): the monitor would then hold the signup
-- role's own rights without switching role (delete identities, read password hashes). Make the membership one that
-- only allows SET ROLE, which is all the canary does (inside a transaction it always rolls back):
--   PostgreSQL 16 and newer:
-- GRANT supabase_auth_admin TO :"role" WITH INHERIT FALSE, SET TRUE;
--   PostgreSQL 15 and older (NOINHERIT is the role's, for all its memberships; its own grants above still apply):
-- ALTER ROLE :"role" NOINHERIT;
-- GRANT supabase_auth_admin TO :"role";
-- Either way a session of the monitor can still SET ROLE supabase_auth_admin explicitly: guard its password as
-- you would that role's. On hosted Supabase, postgres cannot grant supabase_auth_admin at all: keep the canary off
-- and rely on the signup counts (README: Failing signups).
