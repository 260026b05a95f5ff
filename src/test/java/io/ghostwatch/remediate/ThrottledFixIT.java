package io.ghostwatch.remediate;

import io.ghostwatch.testing.Eventually;
import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Ghostwatch.Result;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The backfill's throttle through the packaged {@code ghostwatch fix}: rate cap, pause file, SIGTERM. */
class ThrottledFixIT extends SupabaseDatabaseTest {

    private static final String GHOSTS = "SELECT count(*) FROM auth.users a WHERE NOT EXISTS"
            + " (SELECT 1 FROM public.users p WHERE p.id = a.id)";

    @BeforeEach
    void fresh() {
        fixture.reset();
        db.execute("DROP SCHEMA IF EXISTS ghostwatch CASCADE");
        fixture.users(20, Duration.ofDays(2));
    }

    private static Ghostwatch ghostwatch() {
        return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "throttle");
    }

    @Test
    void maxRateHoldsWithinTenPercentOverA50kBackfill() {
        fixture.restoredGhosts(50_000, Duration.ofHours(3));
        assertThat(db.queryLong(GHOSTS)).isEqualTo(50_000);

        Result r = ghostwatch().run("fix", "backfill", "--apply", "--reason", "rate", "--max-rows", "60000",
                "--max-rate", "10000", "--max-load", "0"); // the cap alone: no commit probe holding it back

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Matcher done = Pattern.compile("backfill: 50,000 of ~50,000 rows \\(100%\\), ([0-9,]+) rows/s, done")
                .matcher(r.stderr());
        assertThat(done.find()).as(r.stderr()).isTrue();
        assertThat(Long.parseLong(done.group(1).replace(",", ""))).isBetween(9_000L, 11_000L);
        assertThat(r.stderr()).contains("waiting: pacing to --max-rate 10,000 rows/s");
        assertThat(db.queryLong(GHOSTS)).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediated_ids")).isEqualTo(50_000);
    }

    @Test
    void thePauseFileHoldsTheJobAndRemovingItReleasesIt(@TempDir Path dir) throws Exception {
        fixture.restoredGhosts(3_000, Duration.ofHours(3));
        Path pause = Files.createFile(dir.resolve("hold"));
        try (Ghostwatch.Running run = ghostwatch().start("fix", "backfill", "--apply", "--reason", "held",
                "--pause-file", pause.toString())) {
            Eventually.await("the job says it is paused", Duration.ofSeconds(60), run::output,
                    out -> out.contains("waiting: paused: " + pause + " exists (remove it to resume)"));
            assertThat(db.queryLong(GHOSTS)).isEqualTo(3_000); // held before its first batch
            assertThat(run.isAlive()).isTrue();

            Files.delete(pause);

            assertThat(run.waitFor(Duration.ofSeconds(60))).as(run.output()).isZero();
            assertThat(run.output()).contains("backfill: 3,000 of ~3,000 rows (100%)");
        }
        assertThat(db.queryLong(GHOSTS)).isZero();
    }

    @Test
    void sigtermStopsAfterTheCurrentBatchRecordsInterruptedAndARerunCompletes() throws Exception {
        fixture.restoredGhosts(20_000, Duration.ofHours(3));
        int exit;
        String output;
        try (Ghostwatch.Running run = ghostwatch().start("fix", "backfill", "--apply", "--reason", "stopped",
                "--max-rows", "30000", "--max-rate", "2000")) {
            Eventually.await("some committed batches", Duration.ofSeconds(60),
                    () -> db.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'ghostwatch'"
                            + " AND tablename = 'remediated_ids'") == 0 ? 0L
                            : db.queryLong("SELECT count(*) FROM ghostwatch.remediated_ids"), n -> n >= 1000);
            exit = run.stop(); // SIGTERM, as Kubernetes sends
            output = run.output();
        }
        long repaired = db.queryLong("SELECT count(*) FROM ghostwatch.remediated_ids");

        assertThat(exit).as(output).isEqualTo(2);
        assertThat(output).contains("SIGTERM received: stopping after the current batch")
                .contains("stopped on request after");
        assertThat(db.queryString("SELECT outcome || ':' || rows_affected FROM ghostwatch.remediations"))
                .isEqualTo("interrupted:" + repaired);
        assertThat(repaired).isBetween(1000L, 19_999L);
        assertThat(db.queryLong(GHOSTS)).isEqualTo(20_000 - repaired);

        // The rerun's subject is resuming, not pacing: --max-load 0, so a noisy host cannot slow it past the limit.
        Result rerun = ghostwatch().run("fix", "backfill", "--apply", "--reason", "rerun", "--max-rows", "30000",
                "--max-load", "0");

        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(db.queryLong(GHOSTS)).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediated_ids")).isEqualTo(20_000);
        assertThat(db.queryLong("SELECT count(DISTINCT user_id) FROM ghostwatch.remediated_ids")).isEqualTo(20_000);
        assertThat(db.queryString("SELECT string_agg(outcome, ',' ORDER BY started_at) FROM ghostwatch.remediations"))
                .isEqualTo("interrupted,completed");
    }

    @Test
    void badThrottleOptionsAreRefusedBeforeAnythingIsRead() {
        fixture.restoredGhosts(10, Duration.ofHours(3));

        Result r = ghostwatch().run("fix", "backfill", "--apply", "--reason", "x", "--max-lag", "soon",
                "--max-rate", "-5");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--max-lag: 'soon' is not a duration")
                .contains("--max-rate: must be more than 0").contains("nothing was changed");
        assertThat(db.queryLong(GHOSTS)).isEqualTo(10);
    }
}
