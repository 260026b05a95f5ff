-- ghostwatch on a Supabase project: run once as postgres (the SQL editor, or psql -v role=ghostwatch -f).
--
-- On Supabase, postgres is not a superuser and cannot grant SELECT on auth.users onwards (its rights there come
-- without GRANT OPTION), and auth.users has row-level security on with no policy, so a monitoring role granted
-- SELECT the usual way sees no identity at all (ghostwatch then refuses to judge, exit 2). This script gives
-- the monitor a read-only window instead, as monitoring agents do: a view owned by postgres (which may read
-- auth.users and bypasses RLS) over the identity columns a check reads, and SELECT on that view. ghostwatch
-- reads identities through ghostwatch_read.identities whenever it exists and the role may read it
-- (ghostwatch.identity.read-through=auto). The monitor can then read, of auth.users, only id, created_at,
-- is_anonymous, deleted_at, email_confirmed_at and the kind of signup (e-mail, phone, anonymous or the OAuth
-- provider's name; never an e-mail, a phone number, a password hash or a token),
-- and nothing of the auth schema directly; it can write nothing outside its own ghostwatch schema.
--
-- In the SQL editor, replace :"role" with the monitoring role's name (default ghostwatch), e.g. with
--   \set role ghostwatch        -- psql only
-- Create that role first, with a password from your secret store:
--   CREATE ROLE ghostwatch LOGIN PASSWORD '...';

\set ON_ERROR_STOP on

-- 1. The read-only window: owned by postgres, no function, no dynamic SQL, nothing an argument can steer.
CREATE SCHEMA IF NOT EXISTS ghostwatch_read;
REVOKE ALL ON SCHEMA ghostwatch_read FROM PUBLIC;
CREATE OR REPLACE VIEW ghostwatch_read.identities WITH (security_barrier) AS
    SELECT id, created_at, is_anonymous, deleted_at, email_confirmed_at,
           -- the kind of signup, never its value: read only while signups roll back, to say which kind fails
           CASE WHEN is_anonymous THEN 'anonymous'
                WHEN raw_app_meta_data ->> 'provider' IS NOT NULL THEN raw_app_meta_data ->> 'provider'
                WHEN email IS NULL AND phone IS NOT NULL THEN 'phone' ELSE 'email' END AS signup_kind
    FROM auth.users;
REVOKE ALL ON ghostwatch_read.identities FROM PUBLIC;
GRANT USAGE ON SCHEMA ghostwatch_read TO :"role";
GRANT SELECT ON ghostwatch_read.identities TO :"role";

-- 2. The app's profiles (the docs' starter: public.profiles; the runbook's public.users: edit the name):
-- the ids only (schema public is usable by every role). The starter's policy lets everyone read profiles; if
-- yours does not, give the monitor one, or ghostwatch refuses to judge (exit 2, naming the table):
GRANT SELECT (id) ON public.profiles TO :"role";
-- CREATE POLICY ghostwatch_read ON public.profiles FOR SELECT TO :"role" USING (true);

-- 3. History and the notification outbox: Flyway creates ghostwatch's tables in this schema as the monitor.
CREATE SCHEMA IF NOT EXISTS ghostwatch;
GRANT USAGE, CREATE ON SCHEMA ghostwatch TO :"role";
-- Fixes run as postgres and audit into the same tables, which the monitor owns: postgres (already able to do
-- all the monitor can) joins the monitor's role for that.
GRANT :"role" TO postgres;

-- 4. A history an earlier run as postgres made (the Quick start's first try): its tables become the monitor's,
-- or every run as the monitor fails to record it ("permission denied for table flyway_schema_history").
-- Sequences owned by a table follow it. In the SQL editor the SET names the role as the lines above do.
SET ghostwatch.monitor = :"role";
DO $$
DECLARE
    rel record;
BEGIN
    FOR rel IN
        SELECT c.oid::regclass AS name FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'ghostwatch' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND pg_catalog.pg_get_userbyid(c.relowner) <> pg_catalog.current_setting('ghostwatch.monitor')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %s OWNER TO %I', rel.name,
                                  pg_catalog.current_setting('ghostwatch.monitor'));
    END LOOP;
END
$$;
RESET ghostwatch.monitor;

-- The catalog (pg_trigger, pg_proc, pg_db_role_setting) and the statistics that count signups need no grant.
-- Fixes (ghostwatch fix …) are run by an operator as postgres, not by this role.
-- To undo: DROP SCHEMA ghostwatch_read CASCADE; REVOKE SELECT (id) ON public.profiles FROM :"role";
