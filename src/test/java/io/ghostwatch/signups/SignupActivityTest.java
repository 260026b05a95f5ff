package io.ghostwatch.signups;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The arithmetic of attempts, commits and rollbacks between two checks, on counters made by hand. */
class SignupActivityTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant THEN = START.plusSeconds(300);
    private static final Instant NOW = START.plusSeconds(600);

    /** The identity table's statistics: inserts, deletes, live rows, vacuums and analyzes so far. */
    private static SignupCounters counters(long inserts, long deletes, long live, long maintenance) {
        return new SignupCounters(inserts, deletes, live, maintenance, 16384, START, Optional.empty());
    }

    private static SignupLedger ledger(SignupCounters c, long canary, long sinceCommit, boolean failing) {
        return new SignupLedger(THEN, c, canary, START, Optional.empty(), sinceCommit, failing);
    }

    private static SignupActivity between(SignupLedger then, SignupCounters now) {
        return SignupActivity.between(Optional.of(then), now, NOW, 3);
    }

    @Test
    void theFirstCheckCountsNothingAndSaysSo() {
        SignupActivity a = SignupActivity.between(Optional.empty(), counters(10, 0, 10, 0), NOW, 3);

        assertThat(a.counted()).isFalse();
        assertThat(a.unknown()).hasValueSatisfying(u -> assertThat(u).contains("first check"));
        assertThat(a.failing()).isFalse();
        assertThat(a.countingSince()).isEqualTo(NOW);
    }

    @Test
    void insertsThatDidNotAddLiveRowsRolledBack() {
        SignupActivity a = between(ledger(counters(10, 0, 10, 0), 0, 0, false), counters(13, 0, 10, 0));

        assertThat(a.attempted()).isEqualTo(3);
        assertThat(a.committed()).isZero();
        assertThat(a.rolledBack()).isEqualTo(3);
        assertThat(a.committedExact()).isTrue();
        assertThat(a.failing()).isTrue();
        assertThat(a.since()).contains(THEN);
    }

    @Test
    void belowThePolicysNumberItIsNotYetFailingButTheCountCarries() {
        SignupActivity two = between(ledger(counters(10, 0, 10, 0), 0, 0, false), counters(12, 0, 10, 0));
        assertThat(two.failing()).isFalse();
        assertThat(two.rolledBackSinceCommit()).isEqualTo(2);

        SignupActivity three = between(two.ledger(0), counters(13, 0, 10, 0));
        assertThat(three.rolledBack()).isEqualTo(1);
        assertThat(three.rolledBackSinceCommit()).isEqualTo(3);
        assertThat(three.failing()).isTrue();
    }

    @Test
    void aFailureStandsThroughQuietChecksUntilASignupCommits() {
        SignupLedger failing = ledger(counters(13, 0, 10, 0), 0, 3, true);
        SignupActivity quiet = between(failing, counters(13, 0, 10, 0));
        assertThat(quiet.attempted()).isZero();
        assertThat(quiet.failing()).isTrue();

        SignupActivity recovered = between(quiet.ledger(0), counters(15, 0, 11, 0));
        assertThat(recovered.committed()).isEqualTo(1);
        assertThat(recovered.rolledBack()).isEqualTo(1);
        assertThat(recovered.failing()).isFalse();
        assertThat(recovered.lastCommitSeenAt()).contains(NOW);
        assertThat(recovered.rolledBackSinceCommit()).as("the interval's rollback may follow its commit").isEqualTo(1);
    }

    @Test
    void theCanarysOwnInsertIsTakenOut() {
        SignupActivity a = between(ledger(counters(10, 0, 10, 0), 1, 0, false), counters(11, 0, 10, 0));

        assertThat(a.attempted()).isZero();
        assertThat(a.canaryExcluded()).isEqualTo(1);
        assertThat(a.rolledBack()).isZero();
    }

    @Test
    void deletesInTheIntervalLeaveTheCommittedCountARangeAndOnlyProvenRollbacksCount() {
        // 4 inserts and 2 deletes; live went up by 1: between 1 and 3 commits, so at least 1 rollback.
        SignupActivity a = between(ledger(counters(10, 5, 10, 0), 0, 0, false), counters(14, 7, 11, 0));

        assertThat(a.committed()).isEqualTo(1);
        assertThat(a.committedExact()).isFalse();
        assertThat(a.rolledBack()).isEqualTo(1);
        assertThat(a.failing()).isFalse();
    }

    @Test
    void aVacuumOrAnalyzeBetweenChecksLeavesTheSplitUnknownAndTheStateAsItWas() {
        SignupActivity a = between(ledger(counters(13, 0, 10, 0), 0, 3, true), counters(20, 0, 12, 1));

        assertThat(a.counted()).isFalse();
        assertThat(a.attempted()).isEqualTo(7);
        assertThat(a.unknown()).hasValueSatisfying(u -> assertThat(u).contains("VACUUM or ANALYZE"));
        assertThat(a.failing()).as("nothing proves a commit, nor that none happened").isTrue();
    }

    @Test
    void aResetOrARestartStartsCountingAgain() {
        SignupLedger then = ledger(counters(13, 0, 10, 0), 0, 3, true);
        SignupActivity reset = between(then,
                new SignupCounters(2, 0, 1, 0, 16384, START, Optional.of(THEN.plusSeconds(1))));
        SignupActivity restart = between(then, new SignupCounters(2, 0, 1, 0, 16384, THEN, Optional.empty()));
        SignupActivity backwards = between(then, counters(5, 0, 10, 0));

        for (SignupActivity a : new SignupActivity[] {reset, restart, backwards}) {
            assertThat(a.counted()).isFalse();
            assertThat(a.countingSince()).isEqualTo(NOW);
            assertThat(a.failing()).isTrue();
        }
        assertThat(reset.unknown().orElseThrow()).contains("statistics were reset");
        assertThat(restart.unknown().orElseThrow()).contains("restarted");
    }

    @Test
    void aTruncateOrRewriteBetweenChecksIsNotReadAsRollbacks() {
        SignupLedger then = ledger(counters(20, 0, 20, 0), 0, 0, false);
        // TRUNCATE zeroes n_live_tup and gives the table a new file; 15 signups then commit.
        SignupActivity truncated = between(then, new SignupCounters(35, 0, 15, 0, 16999, START, Optional.empty()));
        // Live rows fell by more than the deletes could explain, on the same file (e.g. a restored counter).
        SignupActivity fell = between(then, counters(25, 1, 10, 0));

        assertThat(truncated.counted()).isFalse();
        assertThat(truncated.unknown().orElseThrow()).contains("truncated or rewritten");
        assertThat(truncated.failing()).isFalse();
        assertThat(fell.counted()).isFalse();
        assertThat(fell.rolledBack()).isZero();
    }
}
