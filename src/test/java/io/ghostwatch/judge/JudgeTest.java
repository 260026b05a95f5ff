package io.ghostwatch.judge;

import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.snapshot.TriggerState;
import io.ghostwatch.testing.Snapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN.md's severity table, row by row, with its boundaries. No database. */
class JudgeTest {

    private static final TargetSchema SCHEMA = TargetSchema.supabaseDefaults();

    private static Verdict judge(Snapshot snapshot) {
        return Judge.judge(snapshot, Policy.DEFAULT, SCHEMA);
    }

    private static List<String> codes(Verdict v) {
        return v.findings().stream().map(Finding::code).toList();
    }

    @Test
    void healthyIsOkWithFourPassingRunbookRows() {
        Verdict v = judge(Snapshots.healthy().build());

        assertThat(v.priority()).isEqualTo(Priority.OK);
        assertThat(v.findings()).isEmpty();
        assertThat(v.rows()).extracting(CheckRow::checkName).containsExactly(
                "ghost_users_check", "orphaned_profiles_check", "count_parity_check", "trigger_exists_check");
        assertThat(v.rows()).allMatch(CheckRow::passed);
    }

    @ParameterizedTest(name = "{0} young ghosts -> {1}")
    @CsvSource({"1, P1", "5, P1", "6, P0", "40, P0"})
    void youngGhostCountAgainstP0Count(int ghosts, Priority expected) {
        Verdict v = judge(Snapshots.healthy().ghosts(ghosts, 0).build());

        assertThat(v.priority()).isEqualTo(expected);
        assertThat(codes(v)).contains(expected == Priority.P0 ? "ghost_users_many" : "ghost_users_recent");
    }

    @Test
    void anyOldGhostIsP0EvenAlone() {
        Verdict v = judge(Snapshots.healthy().ghosts(1, 1).build());

        assertThat(v.priority()).isEqualTo(Priority.P0);
        assertThat(codes(v)).contains("ghost_users_old");
    }

    @Test
    void aGhostWithoutCreatedAtIsTreatedAsOld() {
        Verdict v = judge(Snapshots.healthy().ghostsWithoutCreatedAt(1).build());

        assertThat(v.priority()).isEqualTo(Priority.P0);
        assertThat(v.findings()).filteredOn(f -> f.code().equals("ghost_users_old")).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("1 with no created_at"));
    }

    @Test
    void p0CountIsConfiguration() {
        Policy strict = new Policy(Policy.DEFAULT.oldAfter(), 0, Policy.DEFAULT.recentWindow());

        assertThat(Judge.judge(Snapshots.healthy().ghosts(1, 0).build(), strict, SCHEMA).priority())
                .isEqualTo(Priority.P0);
    }

    @ParameterizedTest(name = "tgenabled {0} -> fires {1}")
    @CsvSource({"O, true", "A, true", "D, false", "R, false"})
    void triggerStates(String tgenabled, boolean fires) {
        Verdict v = judge(Snapshots.healthy().tgenabled(tgenabled).build());

        assertThat(v.priority()).isEqualTo(fires ? Priority.OK : Priority.P0);
        CheckRow row = v.rows().get(3);
        assertThat(row.passed()).isEqualTo(fires);
        if (!fires) {
            Finding f = v.findings().get(0);
            assertThat(f.code()).isEqualTo(tgenabled.equals("D") ? "trigger_disabled" : "trigger_replica_only");
            assertThat(f.runbookStep()).isEqualTo("Step 3A");
            assertThat(f.actions()).contains(
                    "ALTER TABLE \"auth\".\"users\" ENABLE TRIGGER \"on_auth_user_created\";");
        }
    }

    @Test
    void missingTriggerIsP0Step3B() {
        Verdict v = judge(Snapshots.healthy().trigger(TriggerState.absent(false)).build());

        assertThat(v.priority()).isEqualTo(Priority.P0);
        Finding f = v.findings().get(0);
        assertThat(f.code()).isEqualTo("trigger_missing");
        assertThat(f.runbookStep()).isEqualTo("Step 3B");
        assertThat(f.summary()).contains("function public.handle_new_user is missing too");
    }

    @Test
    void sameNamedTriggerOnAnotherTableStillCountsAsMissing() {
        TriggerState elsewhere = new TriggerState(Optional.empty(), Optional.empty(), true,
                List.of("public.audit_log"), List.of());

        Verdict v = judge(Snapshots.healthy().trigger(elsewhere).build());

        assertThat(v.priority()).isEqualTo(Priority.P0);
        assertThat(v.findings().get(0).summary())
                .contains("a trigger of that name exists on public.audit_log, which is not the sync trigger");
    }

    @Test
    void persistedReplicaRoleSilencesAnOriginTriggerButNotAnAlwaysOne() {
        List<TriggerState.ReplicaOverride> overrides = List.of(new TriggerState.ReplicaOverride(
                "database app", "ALTER DATABASE \"app\" RESET session_replication_role;"));
        TriggerState origin = new TriggerState(Optional.of("O"), Optional.of("public.handle_new_user"), true,
                List.of(), overrides);
        TriggerState always = new TriggerState(Optional.of("A"), Optional.of("public.handle_new_user"), true,
                List.of(), overrides);

        Verdict silenced = judge(Snapshots.healthy().trigger(origin).build());
        assertThat(silenced.priority()).isEqualTo(Priority.P0);
        assertThat(silenced.findings().get(0).code()).isEqualTo("trigger_suppressed");
        assertThat(silenced.findings().get(0).actions())
                .contains("ALTER DATABASE \"app\" RESET session_replication_role;");

        assertThat(judge(Snapshots.healthy().trigger(always).build()).priority()).isEqualTo(Priority.OK);
    }

    @Test
    void orphansAloneAreP2AndSoftDeletedOnesAreHandled() {
        assertThat(judge(Snapshots.healthy().orphans(3, 0).build()).priority()).isEqualTo(Priority.P2);

        Verdict handled = judge(Snapshots.healthy().orphans(0, 4).build());
        assertThat(handled.priority()).isEqualTo(Priority.OK);
        assertThat(handled.rows().get(1).message()).contains("4 soft-deleted, already handled");
    }

    @Test
    void theOverallPriorityIsTheHighestFinding() {
        Verdict v = judge(Snapshots.healthy().orphans(2, 0).ghosts(2, 0).tgenabled("D").build());

        assertThat(v.priority()).isEqualTo(Priority.P0);
        assertThat(v.findings()).extracting(Finding::priority)
                .containsExactly(Priority.P0, Priority.P1, Priority.P2);
        assertThat(codes(v)).containsExactly("trigger_disabled", "ghost_users_recent", "orphaned_profiles");
    }

    @Test
    void ghostsAllMadeWhileTheTriggerWasOffPointAtStep4OnceItFiresAgain() {
        Verdict over = judge(Snapshots.healthy().ghosts(8, 0).ghostsWhileNotFiring(8).build());
        Finding step4 = over.findings().stream().filter(f -> f.code().equals("trigger_enabled_but_ghosts"))
                .findFirst().orElseThrow();
        assertThat(step4.runbookStep()).isEqualTo("Step 4");
        assertThat(step4.summary()).contains("all 8 ghosts were created while earlier checks saw it not firing");
        assertThat(step4.actions()).anyMatch(a -> a.contains("ghostwatch fix backfill"));

        Verdict some = judge(Snapshots.healthy().ghosts(8, 0).ghostsWhileNotFiring(5).build());
        Finding step3c = some.findings().stream().filter(f -> f.code().equals("trigger_enabled_but_ghosts"))
                .findFirst().orElseThrow();
        assertThat(step3c.runbookStep()).isEqualTo("Step 3C");
        assertThat(step3c.summary()).contains("5 of them created while earlier checks saw it not firing");
        assertThat(judge(Snapshots.healthy().ghosts(8, 0).build()).findings())
                .filteredOn(f -> f.code().equals("trigger_enabled_but_ghosts"))
                .extracting(Finding::runbookStep).containsExactly("Step 3C"); // no history: unknown, never Step 4
    }

    @Test
    void anEnabledTriggerWithGhostsPointsAtStep3C() {
        Verdict v = judge(Snapshots.healthy().ghosts(2, 0).build());

        assertThat(v.findings()).extracting(Finding::runbookStep).contains("Step 3C", "Step 4");
        assertThat(v.priority()).isEqualTo(Priority.P1);
    }

    @Test
    void parityExplainsItsDelta() {
        Verdict v = judge(Snapshots.healthy().ghosts(3, 0).orphans(1, 0).build());

        CheckRow parity = v.rows().get(2);
        assertThat(parity.passed()).isFalse();
        assertThat(parity.issueCount()).isEqualTo(2);
        assertThat(parity.message()).isEqualTo("identities 100 vs profiles 98: delta +2 (3 ghosts,"
                + " 1 profiles without identity)");
    }

    @Test
    void unexplainedParityIsANoteThatDoesNotRaiseThePriority() {
        Snapshot base = Snapshots.healthy().build();
        Snapshot duplicated = new Snapshot(base.databaseTime(), 100, 103, base.ghosts(), base.orphans(),
                base.trigger(), base.elapsed());

        Verdict v = judge(duplicated);

        assertThat(v.priority()).isEqualTo(Priority.OK);
        assertThat(codes(v)).containsExactly("count_parity_unexplained");
    }

    private static Verdict judge(Snapshot snapshot, Cause.Effect effect) {
        Cause cause = new Cause("x", effect, false, "summary", "evidence", "fix");
        return Judge.judge(new Evidence(snapshot, Optional.empty(), List.of(cause)), Policy.DEFAULT, SCHEMA);
    }

    @ParameterizedTest(name = "{0} with {1} young ghosts -> {2}")
    @CsvSource({"FAILS_EVERY_SIGNUP, 0, P0", "FAILS_EVERY_SIGNUP, 1, P0", "LEAVES_GHOSTS, 0, OK",
            "LEAVES_GHOSTS, 1, P1", "LEAVES_GHOSTS, 6, P0"})
    void aCauseThatFailsEverySignupIsP0OnItsOwnOthersTakeTheGhostsPriority(Cause.Effect effect, int ghosts,
                                                                           Priority expected) {
        Verdict v = judge(Snapshots.healthy().ghosts(ghosts, 0).build(), effect);

        assertThat(v.priority()).isEqualTo(expected);
        assertThat(v.findings()).filteredOn(f -> f.code().equals("cause_x")).singleElement()
                .satisfies(f -> assertThat(f.priority()).isEqualTo(expected));
    }

    @Test
    void theTriggersOwnStateIsReportedOnceByTheTriggerCheck() {
        Verdict v = judge(Snapshots.healthy().tgenabled("D").build(), Cause.Effect.TRIGGER_NOT_FIRING);

        assertThat(codes(v)).containsExactly("trigger_disabled");
    }

    @ParameterizedTest(name = "canary {0} -> {1}")
    @CsvSource({"PROFILE_CREATED, OK", "NO_PROFILE, P0", "INSERT_FAILED, P0", "NOT_RUN, OK"})
    void theCanaryDecidesWithoutAnyGhost(CanaryResult.Outcome outcome, Priority expected) {
        Evidence e = new Evidence(Snapshots.healthy().build(), Optional.of(new CanaryResult(outcome, "detail")),
                List.of());

        Verdict v = Judge.judge(e, Policy.DEFAULT, SCHEMA);

        assertThat(v.priority()).isEqualTo(expected);
        if (outcome == CanaryResult.Outcome.NOT_RUN) {
            assertThat(v.findings()).singleElement().satisfies(f -> assertThat(f.summary()).contains("unknown"));
        }
    }

    @Test
    void aCanaryWithoutProfileSaysWhatTheTriggersStateAlreadyShows() {
        Evidence disabled = new Evidence(Snapshots.healthy().tgenabled("D").build(),
                Optional.of(new CanaryResult(CanaryResult.Outcome.NO_PROFILE, "no profile")), List.of());
        Evidence firing = new Evidence(Snapshots.healthy().build(),
                Optional.of(new CanaryResult(CanaryResult.Outcome.NO_PROFILE, "no profile")), List.of());

        Finding off = Judge.judge(disabled, Policy.DEFAULT, SCHEMA).findings().stream()
                .filter(f -> f.code().equals("canary_no_profile")).findFirst().orElseThrow();
        Finding on = Judge.judge(firing, Policy.DEFAULT, SCHEMA).findings().stream()
                .filter(f -> f.code().equals("canary_no_profile")).findFirst().orElseThrow();

        assertThat(off.runbookStep()).isEqualTo("Step 3A");
        assertThat(String.join(" ", off.actions())).contains("does not fire (tgenabled = D")
                .doesNotContain("WHEN clause");
        assertThat(on.runbookStep()).isEqualTo("Step 3C");
        assertThat(String.join(" ", on.actions())).contains("fires but writes no profile");
    }

    private static final java.time.Instant T0 = Snapshots.NOW.minusSeconds(600);

    /** Signups between a check at T0 and now: {@code inserts} attempted, {@code live} of them committed. */
    private static io.ghostwatch.signups.SignupActivity signups(long inserts, long live, long before) {
        var then = new io.ghostwatch.signups.SignupCounters(50, 0, 40, 0, 1, T0, Optional.empty());
        var ledger = new io.ghostwatch.signups.SignupLedger(T0, then, 0, T0, Optional.empty(), before, false);
        return io.ghostwatch.signups.SignupActivity.between(Optional.of(ledger),
                new io.ghostwatch.signups.SignupCounters(50 + inserts, 0, 40 + live, 0, 1, T0, Optional.empty()),
                Snapshots.NOW, Policy.DEFAULT.failedSignupsP0());
    }

    @Test
    void aCanaryRejectedWhileRealSignupsCommitIsNotP0() {
        CanaryResult rejected = new CanaryResult(CanaryResult.Outcome.INSERT_FAILED, "only @acme.com may sign up"
                + " (raised in PL/pgSQL function public.enforce_domain() line 4; signing up as supabase_auth_admin)");
        Verdict commits = Judge.judge(new Evidence(Snapshots.healthy().build(), Optional.of(rejected), List.of(),
                Optional.of(signups(4, 4, 0)), List.of()), Policy.DEFAULT, SCHEMA);
        Verdict failing = Judge.judge(new Evidence(Snapshots.healthy().build(), Optional.of(rejected), List.of(),
                Optional.of(signups(4, 2, 0)), List.of()), Policy.DEFAULT, SCHEMA);
        Verdict uncounted = Judge.judge(new Evidence(Snapshots.healthy().build(), Optional.of(rejected), List.of()),
                Policy.DEFAULT, SCHEMA);

        assertThat(commits.priority()).isEqualTo(Priority.P2);
        assertThat(commits.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("canary_insert_failed");
            assertThat(f.summary()).contains("4 real signup(s) committed").contains("public.enforce_domain()");
            assertThat(String.join(" ", f.actions())).contains("GHOSTWATCH_CANARY_VALUES='email=");
        });
        assertThat(failing.priority()).as("some real signups rolled back too").isEqualTo(Priority.P0);
        assertThat(uncounted.priority()).as("no count of real signups: the canary decides").isEqualTo(Priority.P0);
    }

    @Test
    void aCauseThatWouldFailEverySignupIsNotP0WhileRealSignupsCommit() {
        Cause every = new Cause("function_call_unresolved", Cause.Effect.FAILS_EVERY_SIGNUP, true,
                "public.handle_new_user() calls slugify(1 argument), which its search_path does not reach", "e", "f");

        Verdict commits = judge(signups(5, 5, 0), every);
        Verdict rollbacks = judge(signups(5, 0, 0), every);

        assertThat(commits.priority()).isEqualTo(Priority.P2);
        assertThat(commits.findings()).singleElement().satisfies(f -> assertThat(f.summary())
                .contains("5 signup(s) committed since the last check").contains("not paged"));
        assertThat(rollbacks.priority()).as("the counters agree: every attempt rolled back").isEqualTo(Priority.P0);
        assertThat(judge(signups(0, 0, 0), every).priority()).as("no signup since: the catalog decides")
                .isEqualTo(Priority.P0);
    }

    private static Verdict judge(io.ghostwatch.signups.SignupActivity a, Cause... causes) {
        return Judge.judge(new Evidence(Snapshots.healthy().build(), Optional.empty(), List.of(causes),
                Optional.of(a), List.of()), Policy.DEFAULT, SCHEMA);
    }

    @ParameterizedTest(name = "{0} attempts, {1} committed, {2} rolled back before -> {3}")
    @CsvSource({"3, 0, 0, P0", "2, 0, 0, P1", "1, 0, 2, P0", "5, 2, 0, P1", "4, 4, 0, OK", "0, 0, 3, P0",
            "0, 0, 0, OK"})
    void signupsThatAllRollBackArePOnceThePolicysNumberIsReached(long attempted, long committed, long before,
                                                                  Priority expected) {
        Verdict v = judge(signups(attempted, committed, before));

        assertThat(v.priority()).isEqualTo(expected);
        if (expected == Priority.P0) {
            assertThat(codes(v)).containsExactly("signups_failing");
            assertThat(v.findings().get(0).summary()).contains("cause unknown");
        }
    }

    @Test
    void theFailingSignupsNameTheCausesFound() {
        Cause readOnly = new Cause("read_only_mode", Cause.Effect.FAILS_EVERY_SIGNUP, false, "s", "e", "f");

        Verdict v = judge(signups(3, 0, 0), readOnly);

        assertThat(codes(v)).containsExactly("signups_failing", "cause_read_only_mode");
        assertThat(v.findings().get(0).summary()).contains("causes found: read_only_mode")
                .doesNotContain("cause unknown");
    }

    @Test
    void aCauseThatFailsSomeKindsOfSignupIsP1WhileSignupsRollBackAndP2Before() {
        Cause phone = new Cause("signup_value_missing", Cause.Effect.FAILS_SOME_SIGNUPS, true, "phone signups fail",
                "e", "f");

        Verdict rolling = judge(signups(23, 20, 0), phone);
        Verdict quiet = judge(signups(4, 4, 0), phone);

        assertThat(codes(rolling)).containsExactly("signups_rolled_back", "cause_signup_value_missing");
        assertThat(rolling.findings()).allSatisfy(f -> assertThat(f.priority()).isEqualTo(Priority.P1));
        assertThat(rolling.findings().get(0).summary()).contains("3 of 23 attempts failing, 13%")
                .contains("causes found: signup_value_missing");
        assertThat(rolling.findings().get(1).summary()).contains("Signups roll back now");
        assertThat(quiet.priority()).as("a hazard that has not struck").isEqualTo(Priority.P2);
        assertThat(quiet.findings()).singleElement().satisfies(f -> assertThat(f.summary())
                .contains("No signup was counted rolling back"));
    }

    @Test
    void anIntervalThatCouldNotBeCountedIsANoteNotAPass() {
        var then = new io.ghostwatch.signups.SignupCounters(50, 0, 40, 0, 1, T0, Optional.empty());
        var ledger = new io.ghostwatch.signups.SignupLedger(T0, then, 0, T0, Optional.empty(), 0, false);
        var vacuumed = io.ghostwatch.signups.SignupActivity.between(Optional.of(ledger),
                new io.ghostwatch.signups.SignupCounters(53, 0, 10, 1, 1, T0, Optional.empty()), Snapshots.NOW, 3);

        Verdict v = judge(vacuumed);

        assertThat(v.priority()).isEqualTo(Priority.OK);
        assertThat(v.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("signups_not_counted");
            assertThat(f.summary()).contains("VACUUM or ANALYZE");
        });
    }

    private static io.ghostwatch.signups.Blocker blocker(long heldSeconds, int waiting) {
        return new io.ghostwatch.signups.Blocker(4242, Optional.of("migrator"), Optional.of("flyway"),
                Optional.of("idle in transaction"), Optional.of(java.time.Duration.ofSeconds(heldSeconds)),
                "ShareLock", "public.users", Optional.of("CREATE INDEX users_email ON public.users (email)"),
                waiting);
    }

    @ParameterizedTest(name = "held {0}s, {1} waiting -> {2}")
    @CsvSource({"1, 0, OK", "5, 0, P0", "1, 1, P0", "600, 0, P0"})
    void aLockSignupsWaitForIsP0OnceHeldLongEnoughOrMakingOneWait(long held, int waiting, Priority expected) {
        Evidence e = new Evidence(Snapshots.healthy().build(), Optional.empty(), List.of(), Optional.empty(),
                List.of(blocker(held, waiting)));

        Verdict v = Judge.judge(e, Policy.DEFAULT, SCHEMA);

        assertThat(v.priority()).isEqualTo(expected);
        assertThat(v.signupBlockers()).isEqualTo(expected == Priority.P0 ? 1 : 0);
        if (expected == Priority.P0) {
            Finding f = v.findings().get(0);
            assertThat(f.code()).isEqualTo("signups_blocked");
            assertThat(f.summary()).contains("pid 4242").contains("migrator").contains("flyway")
                    .contains("idle in transaction").contains("ShareLock on public.users").contains("CREATE INDEX");
            assertThat(f.actions().get(0)).startsWith("SELECT pg_terminate_backend(4242);");
        }
    }

    @Test
    void aTriggerThatFiresButCannotSyncARowFailsItsRow() {
        TriggerState statement = new TriggerState(Optional.of("O"), Optional.of("public.handle_new_user"), true,
                List.of(), List.of(), TriggerState.shapeProblem(4, false));
        TriggerState updateOnly = new TriggerState(Optional.of("O"), Optional.of("public.handle_new_user"), true,
                List.of(), List.of(), TriggerState.shapeProblem(1 | 16, false));

        CheckRow s = judge(Snapshots.healthy().trigger(statement).build()).rows().get(3);
        CheckRow u = judge(Snapshots.healthy().trigger(updateOnly).ghosts(1, 0).build()).rows().get(3);

        assertThat(s.passed()).isFalse();
        assertThat(s.message()).contains("FOR EACH STATEMENT");
        assertThat(u.passed()).isFalse();
        assertThat(u.message()).contains("not fired by INSERT");
        assertThat(codes(judge(Snapshots.healthy().trigger(updateOnly).ghosts(1, 0).build())))
                .doesNotContain("trigger_enabled_but_ghosts");
        assertThat(TriggerState.shapeProblem(1 | 4, false)).isEmpty();
    }
}
