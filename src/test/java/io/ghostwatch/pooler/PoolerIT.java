package io.ghostwatch.pooler;

import com.fasterxml.jackson.databind.JsonNode;
import io.ghostwatch.testing.AuthServerDatabaseTest;
import io.ghostwatch.testing.Eventually;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.PgBouncer;
import io.ghostwatch.testing.RequiresTools;
import io.ghostwatch.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ghostwatch behind Debian's PgBouncer (issue 24), as a CronJob on an IPv4 cluster reaches a Supabase project
 * through its pooler: in transaction mode (port 6543) each transaction may run on another server session, and
 * whatever a client leaves on a session (a prepared statement, a setting, a lock) is the next client's; in
 * session mode (port 5432) a client keeps its session. Each test proves the pooler does what it stands for before
 * asserting what ghostwatch says through it.
 */
@RequiresTools("pgbouncer")
class PoolerIT extends AuthServerDatabaseTest {

    /** Enough server sessions for a fix (its work, its lock, a full scan's two slices) and no more. */
    private static final int POOL = 4;
    private static final String ATTACKER = "gw_pool_attacker";

    @AfterAll
    static void dropAttacker() {
        TestDatabase.dropRoles(ATTACKER);
    }

    private Ghostwatch through(PgBouncer bouncer) {
        return Ghostwatch.against(db).env("QUARKUS_DATASOURCE_JDBC_URL", bouncer.url())
                .env("GHOSTWATCH_TARGET", "pooled");
    }

    private Ghostwatch direct() {
        return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "pooled");
    }

    /** An incident to watch: signups leave ghosts under a disabled trigger, and a hard delete left an orphan. */
    private void incident() {
        fixture.users(20, Duration.ofDays(2));
        fixture.orphans(1, false);
        fixture.triggerState("DISABLE");
        for (int i = 0; i < 3; i++) {
            assertThat(fixture.signup(true).ghost()).as("a signup under the disabled trigger leaves a ghost").isTrue();
        }
    }

    @Test
    void repeatedChecksThroughATransactionPoolerGiveTheVerdictsOfADirectConnection() throws Exception {
        incident();
        try (PgBouncer bouncer = PgBouncer.start(db, "transaction", POOL)) {
            leaveNamedStatements(bouncer);
            List<String> clean = sessions(bouncer);

            // The history schema is created once through a direct connection (a transaction pooler refuses it).
            JsonNode reference = direct().env("GHOSTWATCH_CANARY_ENABLED", "true").run("check", "--output", "json")
                    .json();
            for (int run = 0; run < 3; run++) {
                Ghostwatch.Result r = through(bouncer).env("GHOSTWATCH_CANARY_ENABLED", "true")
                        .run("check", "--output", "json");
                assertThat(r.stderr()).as("run " + run).doesNotContain("Exception", "prepared statement", "\tat ");
                JsonNode json = r.json();
                assertThat(json.at("/priority").asText()).isEqualTo(reference.at("/priority").asText())
                        .isEqualTo("P0");
                assertThat(codes(json)).isEqualTo(codes(reference)).contains("trigger_disabled");
                assertThat(json.at("/snapshot/ghosts/total").asLong()).isEqualTo(3);
                assertThat(json.at("/snapshot/orphans/unhandled").asLong()).isEqualTo(1);
                assertThat(json.at("/snapshot/canary/outcome").asText())
                        .isEqualTo(reference.at("/snapshot/canary/outcome").asText()).isEqualTo("no_profile");
            }
            assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.check_runs")).as("every run recorded")
                    .isEqualTo(4);
            assertThat(sessions(bouncer)).as("what ghostwatch left on the pooled server sessions").isEqualTo(clean);
        }
    }

    @Test
    void theHistorySchemaIsNotCreatedThroughATransactionPoolerAndTheRefusalNamesTheSessionPort() throws Exception {
        incident();
        try (PgBouncer bouncer = PgBouncer.start(db, "transaction", POOL)) {
            List<String> clean = sessions(bouncer);

            Ghostwatch.Result r = through(bouncer).run("check");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.stdout()).contains("trigger_disabled");
            assertThat(r.stderr()).contains("history not recorded", "pooler in transaction mode",
                    "session mode", "port 5432").doesNotContain("\tat ");
            assertThat(r.stderr().lines().filter(l -> !l.isBlank()).count()).isEqualTo(1);
            assertThat(db.queryString("SELECT pg_catalog.to_regnamespace('ghostwatch')::text")).isNull();
            assertThat(sessions(bouncer)).isEqualTo(clean);
        }
    }

    @Test
    void thePinSurvivesServerSessionsALessTrustedClientLeftWithItsOwnSearchPath() throws Exception {
        fixture.users(5, Duration.ofDays(1));
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + ATTACKER + "') THEN"
                        + " CREATE ROLE " + ATTACKER + " LOGIN; END IF; END $$",
                "CREATE TABLE public.hijacked (by_role text)", "GRANT INSERT ON public.hijacked TO PUBLIC",
                "GRANT CREATE ON SCHEMA public TO PUBLIC",
                "SET ROLE " + ATTACKER + "; CREATE FUNCTION public.hashtext(varchar) RETURNS integer LANGUAGE plpgsql"
                        + " AS $$ BEGIN INSERT INTO public.hijacked VALUES (current_user); RETURN 42; END $$;"
                        + " RESET ROLE");
        fixture.triggerState("DISABLE");
        direct().run("check"); // creates the history schema
        try (PgBouncer bouncer = PgBouncer.start(db, "transaction", POOL)) {
            // Another client of the pooler sets its session's search_path and leaves; in transaction mode the
            // server sessions keep it for whoever comes next.
            poison(bouncer);
            try (Connection c = bouncer.connect(db.user()); Statement st = c.createStatement()) {
                st.execute("SELECT hashtext('x'::varchar)");
            }
            assertThat(db.queryLong("SELECT count(*) FROM public.hijacked")).as("the next client is hijacked")
                    .isEqualTo(1);
            db.execute("TRUNCATE public.hijacked");

            Ghostwatch.Result check = through(bouncer).env("GHOSTWATCH_CANARY_ENABLED", "true").run("check");
            Ghostwatch.Result fix = through(bouncer).run("fix", "trigger", "--apply", "--reason", "pooler");

            assertThat(check.exitCode()).as(check.toString()).isZero();
            assertThat(fix.exitCode()).as(fix.toString()).isZero();
            assertThat(fixture.signup(false).synced()).as("the fix did its work").isTrue();
            assertThat(db.queryLong("SELECT count(*) FROM public.hijacked")).as("nothing ghostwatch ran called it")
                    .isZero();
        }
    }

    @Test
    void fixesThroughATransactionPoolerHoldTheirLockInATransactionAndLeaveNothingBehind() throws Exception {
        incident();
        direct().run("check");
        try (PgBouncer bouncer = PgBouncer.start(db, "transaction", POOL)) {
            List<String> clean = sessions(bouncer);
            assertThat(through(bouncer).run("fix", "trigger", "--apply", "--reason", "pooler").exitCode()).isZero();
            Path hold = Files.createTempFile("ghostwatch-hold", "");
            try (Ghostwatch.Running first = through(bouncer).start("fix", "backfill", "--apply", "--reason", "first",
                    "--pause-file", hold.toString())) {
                Eventually.await("the first fix holding its lock", Duration.ofSeconds(60), first::output,
                        out -> out.contains("waiting: paused: "));

                Ghostwatch.Result second = through(bouncer).run("fix", "backfill", "--apply", "--reason", "second");

                assertThat(second.exitCode()).as(second.toString()).isEqualTo(2);
                assertThat(second.stderr()).contains("another ghostwatch fix is running on target pooled");
                Files.delete(hold);
                assertThat(first.waitFor(Duration.ofSeconds(120))).as(first.output()).isZero();
            } finally {
                Files.deleteIfExists(hold);
            }
            assertThat(db.queryLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'" + IN_THIS_DATABASE))
                    .isZero();
            Ghostwatch.Result orphans = through(bouncer).run("fix", "orphans", "--apply", "--reason", "pooler",
                    "--deleted-intentionally");
            assertThat(orphans.exitCode()).as(orphans.toString()).isZero();
            JsonNode after = through(bouncer).run("check", "--output", "json").json();
            assertThat(after.at("/priority").asText()).isEqualTo("OK");
            assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediations WHERE outcome = 'completed'"))
                    .isEqualTo(3);
            assertThat(sessions(bouncer)).isEqualTo(clean);
        }
    }

    @Test
    void serveThroughATransactionPoolerChecksEverySecondWithoutAnError() throws Exception {
        incident();
        direct().run("check");
        long before = db.queryLong("SELECT count(*) FROM ghostwatch.check_runs");
        try (PgBouncer bouncer = PgBouncer.start(db, "transaction", POOL)) {
            leaveNamedStatements(bouncer);
            serveThrough(bouncer, before);
        }
    }

    private void serveThrough(PgBouncer bouncer, long before) throws Exception {
        try (Ghostwatch.Running serve = through(bouncer).env("GHOSTWATCH_SCHEDULE", "* * * * * ?")
                     .env("GHOSTWATCH_CANARY_ENABLED", "true")
                     .env("QUARKUS_HTTP_PORT", Integer.toString(io.ghostwatch.testing.Ports.free())).start("serve")) {
            // Past the driver's fifth run of a statement, when it would prepare it on one server session.
            Eventually.await("ten scheduled runs recorded\n" + serve.output(), Duration.ofSeconds(90),
                    () -> db.queryLong("SELECT count(*) FROM ghostwatch.check_runs"), n -> n >= before + 10);
            assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.check_runs WHERE outcome <> 'checked'"))
                    .as(serve.output()).isZero();
            assertThat(serve.output()).doesNotContain("ERROR", "prepared statement", "Exception");
        }
    }

    @Test
    void inSessionModeEverythingWorksFromCreatingTheHistoryOn() {
        incident();
        try (PgBouncer bouncer = PgBouncer.start(db, "session", POOL)) {
            Ghostwatch.Result first = through(bouncer).env("GHOSTWATCH_CANARY_ENABLED", "true").run("check");
            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.check_runs")).isEqualTo(1);
            assertThat(through(bouncer).run("fix", "trigger", "--apply", "--reason", "session").exitCode()).isZero();
            assertThat(through(bouncer).run("fix", "backfill", "--apply", "--reason", "session").exitCode())
                    .isZero();
            JsonNode after = through(bouncer).run("check", "--output", "json").json();
            assertThat(after.at("/snapshot/ghosts/total").asLong()).isZero();
            assertThat(after.at("/priority").asText()).isEqualTo("P2"); // the orphan, left for its own decision
        }
    }

    @Test
    void theProbeTellsTransactionPoolingFromASessionOfItsOwn() throws Exception {
        try (PgBouncer transaction = PgBouncer.start(db, "transaction", 2);
             PgBouncer session = PgBouncer.start(db, "session", 2)) {
            assertThat(PoolerProbe.probe(() -> transaction.connect(db.user())).transactionPooler()).isTrue();
            Pooling viaSession = PoolerProbe.probe(() -> session.connect(db.user()));
            assertThat(viaSession.sessionKept()).as(viaSession.evidence()).isTrue();
            Pooling direct = PoolerProbe.probe(db::connect);
            assertThat(direct.sessionKept()).as(direct.evidence()).isTrue();
        }
    }

    /**
     * What the users met: another client, with the driver's defaults, left a prepared statement named
     * S_1 on every server session of the pool; the next client whose driver prepares one of its own collides.
     */
    private void leaveNamedStatements(PgBouncer bouncer) throws SQLException {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < POOL; i++) {
                Connection c = DriverManager.getConnection(bouncer.url(), db.user(), db.password());
                held.add(c);
                c.setAutoCommit(false); // each on a server session of its own while the others are held
                prepareOnTheServer(c);
            }
        } finally {
            for (Connection c : held) {
                c.commit();
                c.close();
            }
        }
        assertThatThrownBy(() -> {
            try (Connection c = DriverManager.getConnection(bouncer.url(), db.user(), db.password())) {
                prepareOnTheServer(c);
            }
        }).as("a default client now collides").isInstanceOf(SQLException.class).hasMessageContaining("already exists");
    }

    /** The driver prepares a statement on the server from its fifth run. */
    private static void prepareOnTheServer(Connection c) throws SQLException {
        for (int i = 0; i < 6; i++) {
            try (PreparedStatement st = c.prepareStatement("SELECT ?::int")) {
                st.setInt(1, i);
                st.executeQuery().close();
            }
        }
    }

    private static List<String> codes(JsonNode report) {
        return StreamSupport.stream(report.at("/findings").spliterator(), false).map(f -> f.at("/code").asText())
                .sorted().toList();
    }

    private interface OnSession<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * {@code work} on every server session of the pool, as the application's next clients would find them: each of
     * {@link #POOL} connections holds a transaction open, so each is on a session of its own; then all commit.
     */
    private <T> List<T> onEverySession(PgBouncer bouncer, OnSession<T> work) throws SQLException {
        List<Connection> held = new ArrayList<>();
        List<T> results = new ArrayList<>();
        try {
            for (int i = 0; i < POOL; i++) {
                Connection c = bouncer.connect(db.user());
                held.add(c);
                c.setAutoCommit(false);
                results.add(work.run(c));
            }
        } finally {
            for (Connection c : held) {
                c.commit();
                c.close();
            }
        }
        return results;
    }

    /** What every server session holds that a client could have left: settings, prepared statements, locks. */
    /** pg_locks is server-wide: another database's fixes (another suite on the same server) are not this one's. */
    private static final String IN_THIS_DATABASE = " AND database = (SELECT oid FROM pg_database"
            + " WHERE datname = current_database())";

    private List<String> sessions(PgBouncer bouncer) throws SQLException {
        return onEverySession(bouncer, c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT concat_ws(' | ',"
                    + " current_setting('search_path'), current_setting('default_transaction_isolation'),"
                    + " current_setting('default_transaction_read_only'), current_setting('role'),"
                    + " current_setting('statement_timeout'), current_setting('lock_timeout'),"
                    + " current_setting('idle_in_transaction_session_timeout'),"
                    + " (SELECT count(*) FROM pg_prepared_statements),"
                    + " (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'" + IN_THIS_DATABASE + "),"
                    + " (SELECT string_agg(name, ',' ORDER BY name) FROM pg_settings WHERE source = 'session'"
                    + "  AND name NOT LIKE 'transaction%' AND name NOT IN ('application_name', 'DateStyle',"
                    + "  'client_encoding', 'TimeZone', 'IntervalStyle', 'standard_conforming_strings')))")) {
                rs.next();
                return rs.getString(1);
            }
        }).stream().sorted().toList();
    }

    /** Every server session of the pool left with {@code search_path = public, pg_catalog} by a client. */
    private void poison(PgBouncer bouncer) throws SQLException {
        onEverySession(bouncer, c -> {
            try (Statement st = c.createStatement()) {
                return st.execute("SET search_path = public, pg_catalog");
            }
        });
    }
}
