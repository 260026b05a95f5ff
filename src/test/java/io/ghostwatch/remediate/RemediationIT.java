package io.ghostwatch.remediate;

import io.ghostwatch.testing.Ghostwatch;
import io.ghostwatch.testing.Ghostwatch.Result;
import io.ghostwatch.testing.SupabaseDatabaseTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The guarded fixes through the packaged {@code ghostwatch fix} and {@code export affected}, on real data. */
class RemediationIT extends SupabaseDatabaseTest {


    @BeforeEach
    void fresh() {
        fixture.reset();
        db.execute("DROP SCHEMA IF EXISTS ghostwatch CASCADE", "DROP TABLE IF EXISTS public.other");
        fixture.users(20, Duration.ofDays(2));
    }

    private static Ghostwatch ghostwatch() {
        return Ghostwatch.against(db).env("GHOSTWATCH_TARGET", "fix");
    }

    private static Result fix(String... args) {
        List<String> all = new ArrayList<>(List.of("fix"));
        all.addAll(Arrays.asList(args));
        return ghostwatch().run(all.toArray(String[]::new));
    }

    private static String checksum() {
        return db.queryString("SELECT concat_ws('|',"
                + " (SELECT md5(coalesce(string_agg(u::text, ',' ORDER BY id), '')) FROM auth.users u),"
                + " (SELECT md5(coalesce(string_agg(p::text, ',' ORDER BY id), '')) FROM public.users p),"
                + " (SELECT string_agg(tgenabled::text, ',') FROM pg_trigger WHERE tgname = 'on_auth_user_created'))");
    }

    private static String priority() {
        Result r = ghostwatch().run("check", "--output", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.stdout().replaceAll("(?s).*\"priority\" : \"([A-Z0-9]+)\".*", "$1");
    }

    @Test
    void dryRunsChangeNothing() {
        fixture.ghosts(3, Duration.ofMinutes(5));
        fixture.orphans(2, false);
        fixture.triggerState("DISABLE");
        String before = checksum();

        Result backfill = fix("backfill", "--trigger-not-firing-ok");
        Result mapped = ghostwatch().env("GHOSTWATCH_REMEDIATE_BACKFILL_MODE", "mapping")
                .run("fix", "backfill", "--trigger-not-firing-ok");
        Result trigger = fix("trigger");
        Result orphans = fix("orphans", "--deleted-intentionally");

        for (Result r : List.of(backfill, mapped, trigger, orphans)) {
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("DRY RUN: nothing was changed");
        }
        assertThat(backfill.stdout()).contains("would change 3 rows", "replaying the sync function",
                "trial: the first 3 rows written in a transaction that was rolled back: 3 changed");
        assertThat(mapped.stdout()).contains("would change 3 rows", "ON CONFLICT (\"id\") DO NOTHING", "3 changed");
        assertThat(trigger.stdout()).contains("ALTER TABLE \"auth\".\"users\" ENABLE TRIGGER \"on_auth_user_created\"")
                .contains("would run these statements").doesNotContain("would change 0 rows");
        assertThat(checksum()).isEqualTo(before);
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'ghostwatch'")).isZero();
    }

    @Test
    void aBackfillWhileTheTriggerDoesNotFireIsRefusedNamingStep3A() {
        fixture.triggerState("DISABLE");
        fixture.users(3, Duration.ofMinutes(10));
        assertThat(fixture.signupGetsProfile()).as("every signup now is a new ghost").isFalse();
        String before = checksum();

        Result refused = fix("backfill", "--apply", "--reason", "incident 43");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("does not fire", "ghostwatch fix trigger", "Step 3A",
                "--trigger-not-firing-ok");
        assertThat(checksum()).isEqualTo(before);
        Result anyway = fix("backfill", "--apply", "--reason", "incident 43: profiles first", "--trigger-not-firing-ok");
        assertThat(anyway.exitCode()).as(anyway.toString()).isZero(); // the ghosts it owns are gone
        assertThat(anyway.stdout()).contains("applied: 3 rows changed");
    }

    @Test
    void aFixPlansFromCountedRowsNotFromStatisticsTheCanaryMoved() {
        // Checks with the canary on: each one's rolled-back signup moves the insert counters the steady state
        // reads (issue 25 owns those checks' numbers); a fix counts instead.
        Ghostwatch canary = ghostwatch().env("GHOSTWATCH_CANARY_ENABLED", "true");
        for (int i = 0; i < 3; i++) {
            assertThat(canary.run("check").exitCode()).isZero();
        }
        long identities = db.queryLong("SELECT count(*) FROM auth.users");
        long profiles = db.queryLong("SELECT count(*) FROM public.users");

        Result dryRun = fix("backfill");

        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.stdout()).contains("before: identities " + identities + ", profiles " + profiles
                + ", ghosts 0,").contains("nothing to backfill");
    }

    @Test
    void softDeletedIdentitiesAreNeitherGhostsNorExportedNorBackfilled() {
        fixture.ghosts(3, Duration.ofMinutes(5));
        // The admin API's soft delete of two of them: deleted_at set, the e-mail obfuscated, the row kept.
        db.execute("UPDATE auth.users SET deleted_at = now(), email = 'deleted-' || id || '@deleted.invalid'"
                + " WHERE id IN (SELECT a.id FROM auth.users a WHERE NOT EXISTS (SELECT 1 FROM public.users p"
                + " WHERE p.id = a.id) ORDER BY a.id LIMIT 2)");
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE deleted_at IS NOT NULL AND NOT EXISTS"
                + " (SELECT 1 FROM public.users p WHERE p.id = a.id)")).isEqualTo(2);

        Result check = ghostwatch().run("check", "--output", "json");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.json().at("/snapshot/ghosts/total").asLong()).isEqualTo(1);
        assertThat(check.json().at("/snapshot/ghosts/deletedExcluded").asLong()).isEqualTo(2);
        Result export = ghostwatch().run("export", "affected");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.stdout()).doesNotContain("deleted.invalid");
        String live = db.queryString("SELECT a.id::text FROM auth.users a WHERE deleted_at IS NULL AND NOT EXISTS"
                + " (SELECT 1 FROM public.users p WHERE p.id = a.id)");
        assertThat(export.stdout()).contains(live);

        Result backfill = fix("backfill", "--apply", "--reason", "incident 44");
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
        assertThat(backfill.stdout()).contains("applied: 1 rows changed");
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT EXISTS"
                + " (SELECT 1 FROM public.users p WHERE p.id = a.id)")).as("the deleted users got no profile")
                .isEqualTo(2);

        Result none = ghostwatch().env("GHOSTWATCH_IDENTITY_DELETED_AT_COLUMN", "none").run("check", "--output",
                "json");
        assertThat(none.json().at("/snapshot/ghosts/total").asLong()).isEqualTo(2);
        Result missing = ghostwatch().env("GHOSTWATCH_IDENTITY_DELETED_AT_COLUMN", "gone_at").run("check");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("column gone_at does not exist in auth.users",
                "ghostwatch.identity.deleted-at-column");
    }

    @Test
    void anApplyWithoutAReasonIsRefusedFirstInOneLine() {
        fixture.ghosts(3, Duration.ofMinutes(5));
        String before = checksum();

        Result r = fix("backfill", "--apply");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).as("no plan printed before the refusal").isEmpty();
        assertThat(r.stderr().strip().lines()).singleElement().satisfies(l -> assertThat(l)
                .contains("--apply needs --reason").contains("nothing was changed"));
        assertThat(checksum()).isEqualTo(before);
    }

    @Test
    void step3aAnd4LeaveTheCheckAtOkAndASecondApplyChangesNothing() {
        fixture.triggerState("DISABLE");
        fixture.users(4, Duration.ofMinutes(10)); // ghosts, made by signups while the trigger was off
        assertThat(ghostwatch().run("check").exitCode()).isZero(); // the CronJob saw it off

        Result trigger = fix("trigger", "--apply", "--reason", "incident 42: trigger disabled by a deploy");
        Result next = ghostwatch().run("check", "--output", "json");
        Result backfill = fix("backfill", "--apply", "--reason", "incident 42");

        assertThat(trigger.exitCode()).as(trigger.toString()).isZero();
        // Every ghost predates a check that saw the trigger off: the next step is Step 4, not Step 3C's escalation.
        assertThat(next.json().get("findings")).filteredOn(f -> f.get("code").asText()
                .equals("trigger_enabled_but_ghosts")).singleElement()
                .satisfies(f -> assertThat(f.get("runbookStep").asText()).isEqualTo("Step 4"));
        assertThat(backfill.exitCode()).as(backfill.toString()).isZero();
        assertThat(backfill.stdout()).contains("applied: 4 rows changed").contains("priority: P1 -> OK");
        assertThat(priority()).isEqualTo("OK");
        Result again = fix("backfill", "--apply", "--reason", "again");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("nothing to backfill");
        assertThat(db.queryString("SELECT string_agg(action || ':' || outcome || ':' || rows_affected || ':'"
                + " || reason, ' ' ORDER BY started_at) FROM ghostwatch.remediations"))
                .isEqualTo("trigger:completed:0:incident 42: trigger disabled by a deploy backfill:completed:4:incident 42");
    }

    @Test
    void replicaOnlyAndPersistedReplicaRoleAreFixedToo() {
        fixture.triggerState("ENABLE REPLICA");
        assertThat(fix("trigger", "--apply", "--reason", "R").exitCode()).isZero();
        assertThat(priority()).isEqualTo("OK");

        fixture.replicaForDatabase();
        Result reset = fix("trigger", "--apply", "--reason", "restore recipe left replica mode");
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.stdout()).contains("ALTER DATABASE \"" + db.name() + "\" RESET session_replication_role");
        assertThat(fixture.signupGetsProfile()).isTrue();
    }

    @Test
    void aMissingTriggerIsRecreatedOnlyFromTheMigrationFileAndOnlyIfItThenFires() {
        fixture.dropTrigger();

        Result refused = fix("trigger", "--apply", "--reason", "3B");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("--from-file");

        String before = checksum();
        Result wrong = fix("trigger", "--apply", "--reason", "3B",
                "--from-file", "src/test/resources/migrations/wrong_table.sql");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("rolled back and nothing changed");
        assertThat(checksum()).isEqualTo(before);
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'other'")).isZero();

        // A file with its own COMMIT would end the transaction ghostwatch rolls back: refused, dry run included.
        String committing = "src/test/resources/migrations/commits_itself.sql";
        Result dryRun = fix("trigger", "--from-file", committing);
        Result applied = fix("trigger", "--apply", "--reason", "3B", "--from-file", committing);
        for (Result r : new Result[] {dryRun, applied}) {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.stderr()).contains("controls its own transaction").contains("top-level BEGIN")
                    .doesNotContain("rolled back and nothing changed");
        }
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'other'")).isZero();
        assertThat(checksum()).isEqualTo(before);

        Result ok = fix("trigger", "--apply", "--reason", "3B",
                "--from-file", "src/test/resources/migrations/create_user_sync_trigger.sql");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(fixture.signupGetsProfile()).isTrue();
    }

    @Test
    void orphansNeedTheRunbooksAnswerAndAreSoftDeletedNeverDeleted() {
        fixture.orphans(3, false);
        long profiles = db.queryLong("SELECT count(*) FROM public.users");

        Result unconfirmed = fix("orphans", "--apply", "--reason", "cleanup");
        assertThat(unconfirmed.exitCode()).isEqualTo(2);
        assertThat(unconfirmed.stderr()).contains("--deleted-intentionally");

        Result confirmed = fix("orphans", "--apply", "--reason", "GDPR deletions", "--deleted-intentionally");
        assertThat(confirmed.exitCode()).as(confirmed.toString()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM public.users")).isEqualTo(profiles);
        assertThat(db.queryLong("SELECT count(*) FROM public.users WHERE deleted_at IS NOT NULL")).isEqualTo(3);
        assertThat(priority()).isEqualTo("OK");
        Result noColumn = ghostwatch().env("GHOSTWATCH_PROFILE_SOFT_DELETE_COLUMN", "none")
                .run("fix", "orphans", "--deleted-intentionally");
        assertThat(noColumn.exitCode()).isEqualTo(2);
        assertThat(noColumn.stderr()).contains("never hard-deletes");
    }

    @Test
    void orphansThatTurnUpAfterThePlanAreLeftForANewPlanNeverWrittenPastTheConfirmation() throws Exception {
        fixture.orphans(5, false);
        Path hold = Files.createTempFile("ghostwatch-hold", "");
        try (Ghostwatch.Running run = ghostwatch().start("fix", "orphans", "--apply", "--reason", "GDPR deletions",
                "--deleted-intentionally", "--max-rows", "5", "--pause-file", hold.toString())) {
            io.ghostwatch.testing.Eventually.await("the fix planned and is held", Duration.ofSeconds(60),
                    run::output, out -> out.contains("waiting: paused: "));
            assertThat(run.output()).contains("would change 5 rows");
            // Seven more hard deletes once the plan for five was confirmed: real orphans, more than --max-rows.
            fixture.orphans(7, false);
            assertThat(db.queryLong("SELECT count(*) FROM public.users p WHERE deleted_at IS NULL AND NOT EXISTS"
                    + " (SELECT 1 FROM auth.users a WHERE a.id = p.id)")).isEqualTo(12);
            Files.delete(hold);
            assertThat(run.waitFor(Duration.ofSeconds(60))).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("applied: 5 rows changed", "wrote only the 5 rows it planned",
                    "needs a new plan");
        } finally {
            Files.deleteIfExists(hold);
        }
        assertThat(db.queryLong("SELECT count(*) FROM public.users WHERE deleted_at IS NOT NULL")).isEqualTo(5);
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediated_ids")).isEqualTo(5);

        Result again = fix("orphans", "--deleted-intentionally", "--max-rows", "5");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.stderr()).contains("would change 7 rows, more than --max-rows 5");
    }

    @Test
    void maxRowsBelowTheGhostCountIsRefusedAndChangesNothing() {
        fixture.ghosts(12, Duration.ofMinutes(5));
        String before = checksum();

        Result r = fix("backfill", "--apply", "--reason", "x", "--max-rows", "10");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("would change 12 rows, more than --max-rows 10");
        assertThat(checksum()).isEqualTo(before);
    }

    @Test
    void aConstraintABackfillViolatesIsNamedWithItsTableButNeverTheRowsValues() {
        fixture.ghosts(3, Duration.ofMinutes(5));
        // Added NOT VALID after the ghosts' profiles were due: the backfill's rows (their e-mails) violate it.
        db.execute("ALTER TABLE public.users ADD CONSTRAINT no_ghost_mail CHECK (email NOT LIKE 'ghost-%') NOT VALID");
        String before = checksum();
        try {
            // The dry run's trial meets it first: refused before anything is written or audited.
            Result r = fix("backfill", "--apply", "--reason", "incident 7");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.stderr()).contains("a trial of the first 3 rows", "violates check constraint",
                    "no_ghost_mail", "on table public.users", "3 of those 3 rows violate it", "nothing was changed");
            assertThat(r.stdout() + r.stderr()).doesNotContain("@example.com").doesNotContain("Failing row");
            assertThat(checksum()).isEqualTo(before);
        } finally {
            db.execute("ALTER TABLE public.users DROP CONSTRAINT no_ghost_mail");
        }
    }

    @Test
    void aConstraintOnlyALaterBatchViolatesIsAuditedWithoutTheRowsValues() {
        fixture.ghosts(3, Duration.ofMinutes(5));
        String last = db.queryString("SELECT max(id::text) FROM auth.users a WHERE NOT EXISTS"
                + " (SELECT 1 FROM public.users p WHERE p.id = a.id)");
        db.execute("ALTER TABLE public.users ADD CONSTRAINT not_that_one CHECK (id <> '" + last + "') NOT VALID");
        try {
            // One row per batch: the trial (the first row) passes, the third batch fails.
            Result r = ghostwatch().env("GHOSTWATCH_REMEDIATE_BATCH_SIZE", "1")
                    .run("fix", "backfill", "--apply", "--reason", "incident 8", "--batch-time", "0");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.stderr()).contains("not_that_one", "on table public.users", "2 rows were committed");
            String audit = db.queryString("SELECT string_agg(error, ' | ') FROM ghostwatch.remediations");
            assertThat(audit).contains("not_that_one");
            for (String text : new String[] {r.stdout() + r.stderr(), audit}) {
                assertThat(text).doesNotContain("@example.com").doesNotContain("Failing row");
            }
        } finally {
            db.execute("ALTER TABLE public.users DROP CONSTRAINT not_that_one");
        }
    }

    @Test
    void aMissingGrantOrOwnershipIsNamedAndChangesNothing() {
        fixture.ghosts(2, Duration.ofMinutes(5));
        role("gw_fixer");
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gw_fixer') THEN"
                        + " CREATE ROLE gw_fixer LOGIN; END IF; END $$",
                "GRANT USAGE ON SCHEMA auth TO gw_fixer", "GRANT SELECT ON auth.users, public.users TO gw_fixer",
                "CREATE SCHEMA ghostwatch AUTHORIZATION gw_fixer");
        String before = checksum();
        // The column mapping writes with the fixer's own rights (a replay writes with the function owner's).
        Ghostwatch asFixer = ghostwatch().env("QUARKUS_DATASOURCE_USERNAME", "gw_fixer")
                .env("GHOSTWATCH_REMEDIATE_BACKFILL_MODE", "mapping");

        Result backfill = asFixer.run("fix", "backfill", "--apply", "--reason", "no grant");
        fixture.triggerState("DISABLE");
        String disabled = checksum();
        Result trigger = asFixer.run("fix", "trigger", "--apply", "--reason", "not owner");

        assertThat(backfill.exitCode()).isEqualTo(2);
        assertThat(backfill.stderr()).contains("permission denied").contains("INSERT on public.users")
                .contains("nothing was changed");
        assertThat(trigger.exitCode()).isEqualTo(2);
        assertThat(trigger.stderr()).contains("must be owner").contains("ALTER TABLE \"auth\".\"users\" ENABLE TRIGGER");
        assertThat(db.queryLong("SELECT count(*) FROM public.users")).isEqualTo(20);
        assertThat(checksum()).isEqualTo(disabled);
        assertThat(before).isNotEqualTo(disabled);
        // The backfill was refused by its trial, before it started (no audit row); the trigger fix failed applying.
        assertThat(db.queryString("SELECT string_agg(action || ':' || outcome, ',') FROM ghostwatch.remediations"))
                .isEqualTo("trigger:failed");
    }

    @Test
    void liveSignupsDuringA50kBackfillAreNeitherBlockedNorDuplicated() throws Exception {
        fixture.ghosts(50_000, Duration.ofHours(2));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong signups = new AtomicLong();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                    "INSERT INTO auth.users (id, email, created_at) VALUES (?, ?, now())")) {
                while (!stop.get()) {
                    st.setObject(1, UUID.randomUUID());
                    st.setString(2, "live-" + signups.get() + "@example.com");
                    st.executeUpdate(); // auto-commit: one signup, its trigger inserts the profile
                    signups.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("a live signup failed: " + e.getMessage(), e);
            }
        });

        // Flat out (--max-load 0): the batches overlap the signups as much as they can, which is what this tests.
        Result r = fix("backfill", "--apply", "--reason", "load", "--max-rows", "60000", "--max-load", "0");
        stop.set(true);
        writer.get(30, TimeUnit.SECONDS);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("backfill: 50,000 of ~50,000 rows (100%)");
        assertThat(signups.get()).as("signups during the backfill").isPositive();
        assertThat(db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT EXISTS"
                + " (SELECT 1 FROM public.users p WHERE p.id = a.id)")).isZero();
        assertThat(db.queryLong("SELECT count(*) - count(DISTINCT id) FROM public.users")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM auth.users")).isEqualTo(db.queryLong("SELECT count(*) FROM public.users"));
    }

    @Test
    void killedMidRunKeepsCommittedBatchesAndARerunCompletes() throws Exception {
        fixture.ghosts(30_000, Duration.ofHours(2));
        Ghostwatch slow = ghostwatch().env("GHOSTWATCH_REMEDIATE_BATCH_SIZE", "200");
        try (Ghostwatch.Running run = slow.start("fix", "backfill", "--apply", "--reason", "killed", "--max-rows",
                "40000", "--max-rate", "5000")) {
            io.ghostwatch.testing.Eventually.await("some committed batches", Duration.ofSeconds(60),
                    () -> db.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'ghostwatch'"
                            + " AND tablename = 'remediated_ids'") == 0 ? 0L
                            : db.queryLong("SELECT count(*) FROM ghostwatch.remediated_ids"), n -> n >= 1000);
            run.kill();
        }
        long repaired = db.queryLong("SELECT count(*) FROM ghostwatch.remediated_ids");
        long ghostsLeft = db.queryLong("SELECT count(*) FROM auth.users a WHERE NOT EXISTS"
                + " (SELECT 1 FROM public.users p WHERE p.id = a.id)");
        assertThat(repaired).isBetween(1000L, 29_999L);
        assertThat(ghostsLeft).isEqualTo(30_000 - repaired);

        // The rerun's subject is resuming, not pacing: --max-load 0, so a noisy host cannot slow it past the limit.
        Result rerun = slow.run("fix", "backfill", "--apply", "--reason", "rerun", "--max-rows", "40000",
                "--max-load", "0");

        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediated_ids")).isEqualTo(30_000);
        assertThat(db.queryLong("SELECT count(*) - count(DISTINCT id) FROM public.users")).isZero();
        assertThat(db.queryString("SELECT string_agg(outcome, ',' ORDER BY started_at) FROM ghostwatch.remediations"))
                .isEqualTo("interrupted,completed"); // the rerun marked the killed run's row
    }

    @Test
    void twoAppliesAtOnceOneRunsTheOtherIsRefused() throws Exception {
        fixture.ghosts(100, Duration.ofHours(2));
        // Hold the first fix after it took its lock and planned, before its first batch.
        Path hold = Files.createTempFile("ghostwatch-hold", "");
        try (Ghostwatch.Running first = ghostwatch().start("fix", "backfill", "--apply", "--reason", "first",
                "--pause-file", hold.toString())) {
            io.ghostwatch.testing.Eventually.await("the first fix holding its lock", Duration.ofSeconds(60),
                    first::output, out -> out.contains("waiting: paused: "));

            Result second = fix("backfill", "--apply", "--reason", "second");

            assertThat(second.exitCode()).isEqualTo(2);
            assertThat(second.stderr()).contains("another ghostwatch fix is running on target fix (backend pid");
            Files.delete(hold);
            assertThat(first.waitFor(Duration.ofSeconds(120))).as(first.output()).isZero();
        } finally {
            Files.deleteIfExists(hold);
        }
        assertThat(db.queryLong("SELECT count(*) FROM ghostwatch.remediations")).isEqualTo(1);
        assertThat(priority()).isEqualTo("OK");
    }

    @Test
    void exportAffectedAfterTheBackfillListsExactlyTheRepairedIds() {
        fixture.ghosts(5, Duration.ofDays(3));
        Set<String> ghosts = new HashSet<>(List.of(db.queryString("SELECT string_agg(id::text, ',') FROM auth.users a"
                + " WHERE NOT EXISTS (SELECT 1 FROM public.users p WHERE p.id = a.id)").split(",")));
        Result before = ghostwatch().run("export", "affected");
        assertThat(fix("backfill", "--apply", "--reason", "export").exitCode()).isZero();

        Result after = ghostwatch().run("export", "affected", "--since", "1h");
        Result withEmails = ghostwatch().run("export", "affected", "--since", "1h", "--include-emails",
                "--format", "json");

        assertThat(before.stdout().lines().skip(1).map(l -> l.split(",")[0])).containsExactlyInAnyOrderElementsOf(ghosts);
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.stdout().lines().findFirst()).contains("id,created_at,repaired_at,days_affected");
        assertThat(after.stdout().lines().skip(1).map(l -> l.split(",")[0])).containsExactlyInAnyOrderElementsOf(ghosts);
        assertThat(after.stdout().lines().skip(1)).allSatisfy(l -> assertThat(l).endsWith(",3"));
        assertThat(after.stdout() + after.stderr()).doesNotContain("@example.com");
        assertThat(withEmails.stdout()).contains("@example.com").contains("ghostwatch.affected/v1");
        assertThat(withEmails.stderr()).contains("personal data");
        // -o/--output as every other command; the older --format still works.
        Result output = ghostwatch().run("export", "affected", "--since", "1h", "-o", "json");
        assertThat(output.exitCode()).as(output.toString()).isZero();
        assertThat(output.stdout()).contains("ghostwatch.affected/v1").doesNotContain("@example.com");
    }
}
