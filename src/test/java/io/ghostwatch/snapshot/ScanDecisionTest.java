package io.ghostwatch.snapshot;

import io.ghostwatch.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** When the counters say the last full scan's numbers still hold. No database. */
class ScanDecisionTest {

    private static final Instant SCANNED = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final TriggerState TRIGGER = Snapshots.trigger("O");
    private static final TableCounters THEN = new TableCounters(100, 50, 2, 100, 10, 2, START, Optional.empty());
    private static final Baseline CLEAN = new Baseline(SCANNED, THEN, TRIGGER.fingerprint(), 98, 98, 0, 0, 0, 0);

    private static Optional<String> decide(Baseline b, TableCounters now, TriggerState t, Duration after) {
        return ScanDecision.fullScanNeeded(Optional.of(b), now, t, SCANNED.plus(after), Duration.ofHours(1));
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
        assertThat(ScanDecision.fullScanNeeded(Optional.empty(), THEN, TRIGGER, SCANNED, Duration.ofHours(1)))
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
    void anIncidentIsAlwaysScannedInFull() {
        assertThat(decide(with(CLEAN, b -> new Baseline(b.fullScanAt(), b.counters(), b.trigger(), 98, 97, 1, 0, 0,
                0)), THEN, TRIGGER, Duration.ofMinutes(1))).isPresent();
        assertThat(decide(with(CLEAN, b -> new Baseline(b.fullScanAt(), b.counters(), b.trigger(), 98, 99, 0, 0, 1,
                0)), THEN, TRIGGER, Duration.ofMinutes(1))).isPresent();
    }

    @Test
    void updatesMatterOnlyWhereTheyCanChangeANumber() {
        Baseline softDeleted = new Baseline(SCANNED, THEN, TRIGGER.fingerprint(), 98, 99, 0, 0, 0, 1);
        Baseline anonymous = new Baseline(SCANNED, THEN, TRIGGER.fingerprint(), 98, 97, 0, 1, 0, 0);
        Duration soon = Duration.ofMinutes(5);

        assertThat(decide(softDeleted, counters(100, 50, 2, 100, 11, 2), TRIGGER, soon)).isPresent();
        assertThat(decide(softDeleted, counters(100, 51, 2, 100, 10, 2), TRIGGER, soon)).isEmpty();
        assertThat(decide(anonymous, counters(100, 51, 2, 100, 10, 2), TRIGGER, soon)).isPresent();
        assertThat(decide(anonymous, counters(100, 50, 2, 100, 11, 2), TRIGGER, soon)).isEmpty();
    }

    @Test
    void anIntervalOfZeroAlwaysScans() {
        assertThat(ScanDecision.fullScanNeeded(Optional.of(CLEAN), THEN, TRIGGER, SCANNED.plusSeconds(1),
                Duration.ZERO)).isPresent();
    }

    private static Baseline with(Baseline b, UnaryOperator<Baseline> change) {
        return change.apply(b);
    }
}
