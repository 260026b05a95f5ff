package io.ghostwatch.snapshot;

import io.ghostwatch.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** When the counters say the last full scan's numbers still hold. No database. */
class ScanDecisionTest {

    private static final Instant SCANNED = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final TriggerState TRIGGER = Snapshots.trigger("O");
    private static final TableCounters THEN = new TableCounters(100, 50, 2, 100, 10, 2, START, Optional.empty());
    private static final String SHAPE = "auth.users id created_at";
    private static final Baseline CLEAN = new Baseline(SCANNED, THEN, TRIGGER.fingerprint(), 98, 98, 0, 0, 0, 0,
            SHAPE);

    private static Optional<String> decide(Baseline b, TableCounters now, TriggerState t, Duration after) {
        return decide(b, now, t, after, Recheck.NONE);
    }

    /** What SnapshotReader does: the rules before reading anything, then the lockstep outside the kept rows. */
    private static Optional<String> decide(Baseline b, TableCounters now, TriggerState t, Duration after,
                                           Recheck kept) {
        return ScanDecision.fullScanNeeded(Optional.of(b), now, t, SHAPE, SCANNED.plus(after), Duration.ofHours(1))
                .or(() -> ScanDecision.unbalanced(b, now, kept));
    }

    /** A baseline with these unmatched rows, their ids kept (ghost ids g*, orphan ids o*). */
    private static Baseline kept(long ghosts, long orphans, long softDeleted) {
        List<String> identities = new ArrayList<>();
        List<String> profiles = new ArrayList<>();
        for (int i = 0; i < ghosts; i++) {
            identities.add("g" + i);
        }
        for (int i = 0; i < orphans + softDeleted; i++) {
            profiles.add("o" + i);
        }
        return new Baseline(SCANNED, THEN, TRIGGER.fingerprint(), 98, 98 - ghosts + orphans + softDeleted, ghosts, 0,
                orphans, softDeleted, 0, Optional.of(new UnmatchedIds(identities, profiles)), SHAPE);
    }

    private static TableCounters counters(long ii, long iu, long id, long pi, long pu, long pd) {
        return new TableCounters(ii, iu, id, pi, pu, pd, START, Optional.empty());
    }

    @Test
    void lockstepInsertsAndDeletesAndAnyUpdatesOfACleanScanNeedNoScan() {
        assertThat(decide(CLEAN, THEN, TRIGGER, Duration.ofMinutes(5))).isEmpty();
        assertThat(decide(CLEAN, counters(130, 500, 5, 130, 90, 5), TRIGGER, Duration.ofMinutes(59))).isEmpty();
    }

    @Test
    void everyDoubtMeansAFullScan() {
        Duration soon = Duration.ofMinutes(5);
        assertThat(ScanDecision.fullScanNeeded(Optional.empty(), THEN, TRIGGER, SHAPE, SCANNED, Duration.ofHours(1)))
                .hasValueSatisfying(r -> assertThat(r).contains("no earlier full scan"));
        assertThat(decide(CLEAN, THEN, TRIGGER, Duration.ofHours(1))).hasValueSatisfying(r -> assertThat(r)
                .contains("interval"));
        assertThat(decide(CLEAN, counters(101, 50, 2, 100, 10, 2), TRIGGER, soon)).hasValueSatisfying(r ->
                assertThat(r).isEqualTo("1 identity inserts but 0 profile inserts"));
        assertThat(decide(CLEAN, counters(100, 50, 2, 101, 10, 2), TRIGGER, soon)).isPresent();
        assertThat(decide(CLEAN, counters(100, 50, 3, 100, 10, 2), TRIGGER, soon)).hasValueSatisfying(r ->
                assertThat(r).contains("deletes"));
        assertThat(decide(CLEAN, counters(100, 50, 2, 100, 10, 3), TRIGGER, soon)).isPresent();
        assertThat(decide(CLEAN, counters(0, 0, 0, 0, 0, 0), TRIGGER, soon)).hasValueSatisfying(r ->
                assertThat(r).contains("backwards"));
        assertThat(decide(CLEAN, THEN, Snapshots.trigger("A"), soon)).hasValueSatisfying(r ->
                assertThat(r).contains("trigger"));
        assertThat(decide(CLEAN, new TableCounters(100, 50, 2, 100, 10, 2, START.plusSeconds(1), Optional.empty()),
                TRIGGER, soon)).hasValueSatisfying(r -> assertThat(r).contains("restarted"));
        assertThat(decide(CLEAN, new TableCounters(100, 50, 2, 100, 10, 2, START, Optional.of(SCANNED)), TRIGGER,
                soon)).hasValueSatisfying(r -> assertThat(r).contains("reset"));
    }

    @Test
    void anIncidentWhoseIdsWereNotKeptIsScannedInFull() {
        Baseline ghost = new Baseline(SCANNED, THEN, TRIGGER.fingerprint(), 98, 97, 1, 0, 0, 0, SHAPE);
        Baseline orphan = new Baseline(SCANNED, THEN, TRIGGER.fingerprint(), 98, 99, 0, 0, 1, 0, SHAPE);

        assertThat(decide(ghost, THEN, TRIGGER, Duration.ofMinutes(1))).hasValueSatisfying(r -> assertThat(r)
                .contains("1 unmatched rows", "kept no ids", "ghostwatch.steady-state-max-unmatched"));
        assertThat(decide(orphan, THEN, TRIGGER, Duration.ofMinutes(1))).isPresent();
    }

    @Test
    void anIncidentWithItsIdsKeptIsCarriedWhileTheKeptRowsAccountForTheCounters() {
        Baseline b = kept(2, 1, 0);
        UnmatchedIds ids = b.unmatched().orElseThrow();
        Duration soon = Duration.ofMinutes(5);
        // Nothing happened: every kept row as it was.
        Recheck same = Recheck.of(ids, Set.of("g0", "g1"), Set.of("o0"));
        assertThat(decide(b, THEN, TRIGGER, soon, same)).isEmpty();
        // One ghost backfilled by hand: one profile insert, explained by the kept row.
        Recheck healed = Recheck.of(ids, Set.of("g0", "g1"), Set.of("g0", "o0"));
        assertThat(healed.ghostIds()).containsExactly("g1");
        assertThat(decide(b, counters(100, 50, 2, 101, 10, 2), TRIGGER, soon, healed)).isEmpty();
        // The same profile insert with no kept row to explain it: a row outside them changed.
        assertThat(decide(b, counters(100, 50, 2, 101, 10, 2), TRIGGER, soon, same)).hasValueSatisfying(r ->
                assertThat(r).isEqualTo("0 identity inserts but 1 profile inserts besides the 3 unmatched rows the"
                        + " last full scan kept"));
        // A new ghost beside the standing ones (an identity insert without a profile insert).
        assertThat(decide(b, counters(101, 50, 2, 100, 10, 2), TRIGGER, soon, same)).isPresent();
        // A ghost deleted, and an orphan's profile deleted: deletes the kept rows account for.
        Recheck gone = Recheck.of(ids, Set.of("g1"), Set.of());
        assertThat(decide(b, counters(100, 50, 3, 100, 10, 3), TRIGGER, soon, gone)).isEmpty();
        assertThat(gone.ghostIds()).containsExactly("g1");
        assertThat(gone.orphanIds()).isEmpty();
    }

    @Test
    void updatesNeedNoRuleWhenEveryUnmatchedRowIsReadAgain() {
        Baseline softDeleted = kept(0, 0, 1);
        Recheck same = Recheck.of(softDeleted.unmatched().orElseThrow(), Set.of(), Set.of("o0"));
        assertThat(decide(softDeleted, counters(100, 51, 2, 100, 11, 2), TRIGGER, Duration.ofMinutes(5), same))
                .isEmpty();
    }

    @Test
    void aKeptRowDeletedAndMadeAgainIsNotTakenForNothing() {
        Baseline b = kept(1, 0, 0);
        // The ghost's identity deleted and signed up again, this time with its profile: the recheck sees a
        // profile insert only, the counters an identity delete and insert besides.
        Recheck synced = Recheck.of(b.unmatched().orElseThrow(), Set.of("g0"), Set.of("g0"));
        assertThat(decide(b, counters(101, 50, 3, 101, 10, 2), TRIGGER, Duration.ofMinutes(5), synced))
                .isPresent();
    }

    @Test
    void otherTablesOrColumnsOrABaselineThatDidNotRecordThemMeanAFullScan() {
        assertThat(ScanDecision.fullScanNeeded(Optional.of(CLEAN), THEN, TRIGGER, SHAPE + " is_anonymous",
                SCANNED.plusSeconds(1), Duration.ofHours(1))).hasValueSatisfying(r -> assertThat(r)
                .contains("tables or columns are not those the last full scan read"));
        Baseline earlier = new Baseline(SCANNED, THEN, TRIGGER.fingerprint(), 98, 98, 0, 0, 0, 0, "");
        assertThat(ScanDecision.fullScanNeeded(Optional.of(earlier), THEN, TRIGGER, SHAPE, SCANNED.plusSeconds(1),
                Duration.ofHours(1))).hasValueSatisfying(r -> assertThat(r).contains("did not record"));
    }

    @Test
    void anIntervalOfZeroAlwaysScans() {
        assertThat(ScanDecision.fullScanNeeded(Optional.of(CLEAN), THEN, TRIGGER, SHAPE, SCANNED.plusSeconds(1),
                Duration.ZERO)).isPresent();
    }
}
