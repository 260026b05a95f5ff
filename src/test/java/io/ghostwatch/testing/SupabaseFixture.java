package io.ghostwatch.testing;

import java.time.Duration;

/**
 * The Supabase-like schema (src/main/resources/demo/schema.sql, shared with the dev-mode demo) and the
 * situations of the runbook, made the way they happen in production: identities go in through the real
 * trigger, ghosts appear when it is skipped, orphans when identities are hard-deleted.
 */
public final class SupabaseFixture {

    public static final String SIGNUP_ROLE = "supabase_auth_admin";

    private final TestDatabase db;

    public SupabaseFixture(TestDatabase db) {
        this.db = db;
    }

    public static SupabaseFixture install(TestDatabase db) {
        db.runResource("demo/schema.sql");
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + SIGNUP_ROLE
                        + "') THEN CREATE ROLE " + SIGNUP_ROLE + " LOGIN; END IF; END $$",
                "ALTER ROLE " + SIGNUP_ROLE + " LOGIN",
                "GRANT USAGE ON SCHEMA auth TO " + SIGNUP_ROLE,
                "GRANT SELECT, INSERT ON auth.users TO " + SIGNUP_ROLE,
                "GRANT SELECT ON public.users TO " + SIGNUP_ROLE);
        return new SupabaseFixture(db);
    }

    public TestDatabase db() {
        return db;
    }

    /**
     * As the auth server lays its part out: {@code supabase_auth_admin} owns {@code auth.users} and logs in with
     * {@code search_path = auth} persisted for this database.
     */
    public SupabaseFixture authServerOwnsIdentities() {
        db.execute("ALTER TABLE auth.users OWNER TO " + SIGNUP_ROLE,
                "ALTER ROLE " + SIGNUP_ROLE + " IN DATABASE " + db.name() + " SET search_path = auth");
        return this;
    }

    /** Rows ever written into auth.users as the statistics count them (rolled-back ones too). */
    public long identityInsertsCounted() {
        return db.queryLong("SELECT coalesce((SELECT n_tup_ins FROM pg_stat_user_tables"
                + " WHERE relid = 'auth.users'::regclass), 0)");
    }

    /**
     * Waits until the statistics count at least {@code atLeast} identity inserts: a closed session's counts
     * reach pg_stat_user_tables when its backend exits, shortly after the client has gone.
     */
    public void awaitIdentityInsertsCounted(long atLeast) {
        Eventually.await("the statistics to count " + atLeast + " inserts into auth.users", java.time.Duration
                .ofSeconds(20), this::identityInsertsCounted, n -> n >= atLeast);
    }

    /** Back to a healthy, empty state between tests. */
    public void reset() {
        db.execute(
                "DROP TRIGGER IF EXISTS on_auth_user_created ON public.users",
                "DROP TABLE IF EXISTS public.audit_log",
                "TRUNCATE auth.users, public.users",
                "DROP TRIGGER IF EXISTS on_auth_user_created ON auth.users",
                "CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users"
                        + " FOR EACH ROW EXECUTE FUNCTION public.handle_new_user()",
                "ALTER DATABASE " + db.name() + " RESET session_replication_role",
                "ALTER ROLE " + SIGNUP_ROLE + " IN DATABASE " + db.name() + " RESET session_replication_role");
    }

    /** Healthy signups through the trigger, created {@code age} ago. */
    public void users(int count, Duration age) {
        db.execute("INSERT INTO auth.users (id, email, email_confirmed_at, created_at, updated_at)"
                + " SELECT gen_random_uuid(), 'user-' || gen_random_uuid() || '@example.com', now(),"
                + " now() - make_interval(secs => " + age.toSeconds() + "), now()"
                + " FROM generate_series(1, " + count + ")");
    }

    /** Identities whose profile never arrived (the trigger skipped them), created {@code age} ago. */
    public void ghosts(int count, Duration age) {
        insertSkippingTrigger(count, "now() - make_interval(secs => " + age.toSeconds() + ")");
    }

    /** Ghosts with a NULL created_at, which Supabase allows. */
    public void ghostsWithoutCreatedAt(int count) {
        insertSkippingTrigger(count, "NULL");
    }

    /** Anonymous sign-ins (is_anonymous) without a profile. */
    public void anonymousGhosts(int count) {
        db.execute("BEGIN; SET LOCAL session_replication_role = replica;"
                + " INSERT INTO auth.users (id, created_at, is_anonymous)"
                + " SELECT gen_random_uuid(), now(), true FROM generate_series(1, " + count + "); COMMIT;");
    }

    /**
     * One transaction per ghost, as signups arrive while the trigger is skipped (session_replication_role =
     * replica is how restore recipes and manual fixes skip it).
     */
    private void insertSkippingTrigger(int count, String createdAt) {
        db.execute("SET session_replication_role = replica", "SET synchronous_commit = off",
                "DO $$ BEGIN FOR i IN 1.." + count + " LOOP"
                        + " INSERT INTO auth.users (id, email, created_at, updated_at) VALUES (gen_random_uuid(),"
                        + " 'ghost-' || gen_random_uuid() || '@example.com', " + createdAt + ", now()); COMMIT;"
                        + " END LOOP; END $$");
    }

    /** Ghosts from a restore or bulk load with triggers off: all in one transaction, as a data dump loads. */
    public void restoredGhosts(int count, Duration age) {
        db.execute("BEGIN; SET LOCAL session_replication_role = replica;"
                + " INSERT INTO auth.users (id, email, created_at, updated_at)"
                + " SELECT gen_random_uuid(), 'restored-' || gen_random_uuid() || '@example.com',"
                + " now() - make_interval(secs => " + age.toSeconds() + "), now()"
                + " FROM generate_series(1, " + count + "); COMMIT;");
    }

    /** Identities hard-deleted by an admin, leaving their profiles behind; optionally already soft-deleted. */
    public void orphans(int count, boolean softDeleted) {
        users(count, Duration.ofDays(2));
        db.execute("WITH gone AS (DELETE FROM auth.users WHERE id IN (SELECT a.id FROM auth.users a"
                + " JOIN public.users p ON p.id = a.id WHERE p.deleted_at IS NULL ORDER BY a.created_at, a.id"
                + " LIMIT " + count + ") RETURNING id)"
                + " UPDATE public.users SET deleted_at = CASE WHEN " + softDeleted + " THEN now() END"
                + " WHERE id IN (SELECT id FROM gone)");
    }

    /**
     * Ground truth, not a catalog reading: signs one user up as the signup role (so role and database settings
     * apply exactly as for real signups), looks for the profile the trigger should have made, and rolls back.
     */
    public boolean signupGetsProfile() {
        try (java.sql.Connection c = db.connectAs(SIGNUP_ROLE, "");
             java.sql.Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                st.execute("INSERT INTO auth.users (id, created_at) VALUES ('00000000-0000-4000-8000-0000000000aa',"
                        + " now())");
                try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM public.users"
                        + " WHERE id = '00000000-0000-4000-8000-0000000000aa'")) {
                    rs.next();
                    return rs.getLong(1) == 1;
                }
            } finally {
                c.rollback();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("probe signup failed: " + e.getMessage(), e);
        }
    }

    /** What a real signup did: synced (got its profile), left a ghost, or failed with the database's error. */
    public record Signup(String id, boolean failed, boolean synced, String error) {

        public boolean ghost() {
            return !failed && !synced;
        }
    }

    /** A guest's sign-in as the auth server makes it (an anonymous identity, as the signup role); its id. */
    public String guestSignIn() {
        String id = java.util.UUID.randomUUID().toString();
        try (java.sql.Connection c = db.connectAs(SIGNUP_ROLE, "");
             java.sql.PreparedStatement st = c.prepareStatement("INSERT INTO auth.users (id, is_anonymous,"
                     + " created_at, updated_at) VALUES (?::uuid, true, now(), now())")) {
            st.setString(1, id);
            st.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot sign a guest in as " + SIGNUP_ROLE + ": " + e.getMessage(), e);
        }
        return id;
    }

    /**
     * A real signup on a connection that logs in as the signup role, as Supabase's auth server does (so its
     * persisted settings apply): inserts an identity, looks for its profile, then commits (leaving what it
     * made: a user, or a ghost) or rolls back.
     */
    public Signup signup(boolean commit) {
        return signup(null, commit);
    }

    /** The same with a given email (null: a fresh one). */
    public Signup signup(String email, boolean commit) {
        return signup(email, null, commit);
    }

    /** A signup whose form sent this {@code raw_user_meta_data} (JSON), as the auth server stores it. */
    public Signup signupWithMetadata(String userMetadata, boolean commit) {
        return signup(null, userMetadata, commit);
    }

    /**
     * A phone signup as the auth server makes it: a phone number and no e-mail (NULL), with the metadata given
     * (null: none).
     */
    public Signup phoneSignup(String userMetadata, boolean commit) {
        String id = java.util.UUID.randomUUID().toString();
        return signup(id, null, "1555" + Long.toString(Math.abs(id.hashCode() % 10_000_000L) + 10_000_000L),
                userMetadata, commit);
    }

    /** A signup with this e-mail (null: a fresh one) and form metadata (JSON, or null). */
    public Signup signup(String email, String userMetadata, boolean commit) {
        String id = java.util.UUID.randomUUID().toString();
        return signup(id, email != null ? email : "signup-" + id + "@example.com", null, userMetadata, commit);
    }

    private Signup signup(String id, String address, String phone, String userMetadata, boolean commit) {
        try (java.sql.Connection c = db.connectAs(SIGNUP_ROLE, "");
             java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO auth.users (id, email, phone,"
                     + " raw_user_meta_data, created_at, updated_at) VALUES (?::uuid, ?, ?, ?::jsonb, now(), now())");
             java.sql.Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                insert.setString(1, id);
                insert.setString(2, address);
                insert.setString(3, phone);
                insert.setString(4, userMetadata);
                insert.executeUpdate();
            } catch (java.sql.SQLException e) {
                c.rollback();
                return new Signup(id, true, false, e.getMessage());
            }
            boolean synced;
            try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM public.users WHERE id = '" + id
                    + "'")) {
                rs.next();
                synced = rs.getLong(1) == 1;
            }
            if (commit) {
                c.commit();
                synced = db.queryLong("SELECT count(*) FROM public.users WHERE id = ?::uuid", id) == 1;
            } else {
                c.rollback();
            }
            return new Signup(id, false, synced, null);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot sign up as " + SIGNUP_ROLE + ": " + e.getMessage(), e);
        }
    }

    /**
     * A signup as the auth server makes it: the INSERT, then its UPDATE of the new row (app metadata, updated_at)
     * in the same transaction, so UPDATE triggers on the identity table run inside it. Commits, or rolls back and
     * says the database's error.
     */
    public Signup signupWithItsUpdate() {
        String id = java.util.UUID.randomUUID().toString();
        try (java.sql.Connection c = db.connectAs(SIGNUP_ROLE, "")) {
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO auth.users (id, email,"
                    + " created_at, updated_at) VALUES (?::uuid, ?, now(), now())");
                 java.sql.PreparedStatement update = c.prepareStatement("UPDATE auth.users SET raw_app_meta_data ="
                         + " '{\"provider\":\"email\"}', updated_at = now() WHERE id = ?::uuid")) {
                insert.setString(1, id);
                insert.setString(2, "signup-" + id + "@example.com");
                insert.executeUpdate();
                update.setString(1, id);
                update.executeUpdate();
                c.commit();
            } catch (java.sql.SQLException e) {
                c.rollback();
                return new Signup(id, true, false, e.getMessage());
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot sign up as " + SIGNUP_ROLE + ": " + e.getMessage(), e);
        }
        return new Signup(id, false, db.queryLong("SELECT count(*) FROM public.users WHERE id = ?::uuid", id) == 1,
                null);
    }

    /** Both tables' contents in one string: equal before and after means nothing was written. */
    public String checksum() {
        return db.queryString("SELECT concat_ws('|', (SELECT count(*) FROM auth.users), (SELECT count(*) FROM"
                + " public.users), (SELECT md5(coalesce(string_agg(u::text, ',' ORDER BY id), '')) FROM auth.users u),"
                + " (SELECT md5(coalesce(string_agg(p::text, ',' ORDER BY id), '')) FROM public.users p))");
    }

    /**
     * A migration dropped a column the sync function writes (SQLSTATE 42703 at every signup): the function names
     * {@code full_name}, which {@code public.users} no longer has.
     */
    public void breakFunctionWithDroppedColumn() {
        db.execute("ALTER TABLE public.users ADD COLUMN IF NOT EXISTS full_name text",
                "CREATE OR REPLACE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql"
                        + " SECURITY DEFINER SET search_path = '' AS $$ BEGIN INSERT INTO public.users"
                        + " (id, email, full_name) VALUES (NEW.id, NEW.email,"
                        + " NEW.raw_user_meta_data->>'full_name'); RETURN NEW; END $$",
                "ALTER TABLE public.users DROP COLUMN full_name");
    }

    public void triggerState(String alterClause) {
        db.execute("ALTER TABLE auth.users " + alterClause + " TRIGGER on_auth_user_created");
    }

    public void dropTrigger() {
        db.execute("DROP TRIGGER on_auth_user_created ON auth.users");
    }

    /** A trigger with the sync trigger's name on another table: the runbook's name-only query is fooled by it. */
    public void sameNameTriggerOnOtherTable() {
        db.execute("CREATE TABLE IF NOT EXISTS public.audit_log (id bigserial PRIMARY KEY, note text)",
                "CREATE OR REPLACE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN RETURN NEW; END $$",
                "CREATE TRIGGER on_auth_user_created AFTER INSERT ON public.audit_log"
                        + " FOR EACH ROW EXECUTE FUNCTION public.noop()");
    }

    public void replicaForDatabase() {
        db.execute("ALTER DATABASE " + db.name() + " SET session_replication_role = replica");
    }

    public void replicaForSignupRole() {
        db.execute("ALTER ROLE " + SIGNUP_ROLE + " IN DATABASE " + db.name()
                + " SET session_replication_role = replica");
    }
}
