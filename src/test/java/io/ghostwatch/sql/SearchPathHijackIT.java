package io.ghostwatch.sql;

import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.SupabaseFixture;
import io.ghostwatch.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CVE-2018-1058's class against the monitor: a less trusted role puts a function or operator that matches a
 * varchar parameter exactly into a schema on a search_path ghostwatch may run with, hoping ghostwatch (run as
 * a superuser) calls it. Each attack records what it would have done in a table; it must stay empty.
 */
class SearchPathHijackIT extends AuthServerDatabaseTest {

    private static final String ATTACKER = "gw_attacker";

    @BeforeEach
    void setUp() {
        fixture.users(3, Duration.ofDays(1));
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + ATTACKER + "') THEN"
                        + " CREATE ROLE " + ATTACKER + " LOGIN; END IF; END $$",
                "CREATE TABLE public.hijacked (by_role text, at timestamptz DEFAULT now())",
                "GRANT INSERT ON public.hijacked TO PUBLIC");
    }

    @AfterAll
    static void dropAttacker() {
        TestDatabase.dropRoles(ATTACKER);
    }

    private long hijacked() {
        return db.queryLong("SELECT count(*) FROM public.hijacked");
    }

    @Test
    void anOperatorTheSignupRolePutInItsOwnSchemaIsNeverRunByTheCanary() {
        // supabase_auth_admin (no superuser) may create in schema auth, which its login search_path names.
        db.execute("GRANT CREATE ON SCHEMA auth TO " + SupabaseFixture.SIGNUP_ROLE,
                "SET ROLE " + SupabaseFixture.SIGNUP_ROLE + "; CREATE FUNCTION auth.hijack(text, varchar) RETURNS"
                        + " boolean LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.hijacked (by_role) VALUES"
                        + " (current_user); RETURN $1 = $2::text; END $$; CREATE OPERATOR auth.= (LEFTARG = text,"
                        + " RIGHTARG = varchar, FUNCTION = auth.hijack); RESET ROLE");
        // The attack is real: a superuser session with the auth server's search_path runs it.
        db.execute("SET search_path = auth; SELECT 'a'::text = 'a'::varchar; RESET search_path");
        assertThat(hijacked()).as("the operator is picked when auth is on the search_path").isEqualTo(1);
        db.execute("TRUNCATE public.hijacked");

        Ghostwatch.Result r = Ghostwatch.against(db).env("GHOSTWATCH_CANARY_ENABLED", "true")
                .run("check", "--output", "json");

        assertThat(r.json().at("/snapshot/canary/outcome").asText()).isEqualTo("profile_created");
        assertThat(hijacked()).as("nothing ghostwatch ran called the operator").isZero();
    }

    @Test
    void anOperatorForTextAndVarcharAnyoneCouldCreateInPublicIsNeverRunByAFixOrItsAudit() {
        // Every text column compared with a string parameter (JDBC sends varchar) is this operator's exact match,
        // ahead of pg_catalog's text = text: the fix's audit trail and lock holder compare target = ? so.
        db.execute("GRANT CREATE ON SCHEMA public TO PUBLIC",
                "SET ROLE " + ATTACKER + "; CREATE FUNCTION public.hijack_eq(text, varchar) RETURNS boolean"
                        + " LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.hijacked (by_role) VALUES (current_user);"
                        + " RETURN $1 = $2::text; END $$; CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG ="
                        + " varchar, FUNCTION = public.hijack_eq); RESET ROLE");
        db.execute("SET search_path = \"$user\", public; SELECT 'a'::text = 'a'::varchar; RESET search_path");
        assertThat(hijacked()).as("the operator is picked for text = varchar on the default search_path")
                .isEqualTo(1);
        db.execute("TRUNCATE public.hijacked");
        fixture.triggerState("DISABLE");

        // The first run creates the history (Flyway's catalog queries compare nspname = ?); the fix, a new
        // process finding it created, runs no Flyway, so its audit and lock statements meet the operator alone.
        Ghostwatch.Result first = Ghostwatch.against(db).run("check");
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.check_runs")).as(first.toString()).isEqualTo(1);
        assertThat(hijacked()).as("creating the history called the operator").isZero();
        // A fix killed mid-run left its audit row running: the next fix closes it by comparing target = ?.
        db.execute("INSERT INTO ghostwatch.remediations (id, target, action, reason) VALUES (gen_random_uuid(),"
                + " 'default', 'trigger', 'a fix killed mid-run')");
        Ghostwatch.Result r = Ghostwatch.against(db).run("fix", "trigger", "--apply", "--reason", "hijack test");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediations WHERE outcome = 'completed'"))
                .as("the audit trail recorded the fix").isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediations WHERE outcome = 'interrupted'"))
                .as("and closed the killed one").isEqualTo(1);
        Ghostwatch.Result history = Ghostwatch.against(db).run("history", "--days", "1");
        assertThat(history.exitCode()).as(history.toString()).isZero();
        assertThat(history.stdout()).as("the history read the recorded runs").contains("checked");
        assertThat(hijacked()).as("nothing ghostwatch ran called the operator").isZero();
    }

    @Test
    void aFunctionAnyoneCouldCreateInPublicIsNeverRunByAFix() {
        // A database upgraded from before PostgreSQL 15, where public still grants CREATE to everyone.
        db.execute("GRANT CREATE ON SCHEMA public TO PUBLIC",
                "SET ROLE " + ATTACKER + "; CREATE FUNCTION public.hashtext(varchar) RETURNS integer LANGUAGE plpgsql"
                        + " AS $$ BEGIN INSERT INTO public.hijacked (by_role) VALUES (current_user); RETURN 42; END $$;"
                        + " RESET ROLE");
        db.execute("SET search_path = \"$user\", public; SELECT hashtext('x'::varchar); RESET search_path");
        assertThat(hijacked()).as("the function is picked for a varchar on the default search_path").isEqualTo(1);
        db.execute("TRUNCATE public.hijacked");
        fixture.triggerState("DISABLE");

        Ghostwatch.Result r = Ghostwatch.against(db).run("fix", "trigger", "--apply", "--reason", "hijack test");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(fixture.signup(false).synced()).as("the fix did its work").isTrue();
        assertThat(hijacked()).as("nothing ghostwatch ran called the function").isZero();
    }
}
