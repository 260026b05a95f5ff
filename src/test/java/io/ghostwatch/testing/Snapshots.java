package io.ghostwatch.testing;

import io.ghostwatch.snapshot.GhostWindow;
import io.ghostwatch.snapshot.Ghosts;
import io.ghostwatch.snapshot.Orphans;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TriggerState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Snapshots built by hand for the pure policy tests. */
public final class Snapshots {

    public static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");

    private Ghosts ghosts = Ghosts.none();
    private Orphans orphans = new Orphans(0, 0);
    private TriggerState trigger = trigger("O");
    private long identities = 100;
    private OptionalLong whileNotFiring = OptionalLong.empty();

    public static Snapshots healthy() {
        return new Snapshots();
    }

    public static TriggerState trigger(String tgenabled) {
        return new TriggerState(Optional.of(tgenabled), Optional.of("public.handle_new_user"), true, List.of(),
                List.of());
    }

    public Snapshots ghosts(long total, long old) {
        ghosts = new Ghosts(total, old, total - old, 0,
                total == 0 ? Optional.empty() : Optional.of(NOW.minus(Duration.ofMinutes(30))), 0, List.of());
        return this;
    }

    public Snapshots ghostsWithoutCreatedAt(long count) {
        ghosts = new Ghosts(count, count, 0, count, Optional.empty(), 0, List.of());
        return this;
    }

    /** Ghosts that earlier checks saw made while the trigger did not fire. */
    public Snapshots ghostsWhileNotFiring(long count) {
        whileNotFiring = OptionalLong.of(count);
        return this;
    }

    public Snapshots orphans(long unhandled, long softDeleted) {
        orphans = new Orphans(unhandled, softDeleted);
        return this;
    }

    public Snapshots trigger(TriggerState state) {
        trigger = state;
        return this;
    }

    public Snapshots tgenabled(String state) {
        return trigger(trigger(state));
    }

    public Snapshot build() {
        long profiles = identities - ghosts.total() + orphans.total();
        Snapshot plain = new Snapshot(NOW, identities, profiles, ghosts, orphans, trigger, Duration.ofMillis(5));
        if (whileNotFiring.isEmpty()) {
            return plain;
        }
        GhostWindow none = GhostWindow.none();
        return new Snapshot(NOW, identities, profiles, ghosts, orphans, trigger, plain.elapsed(), plain.inserts(),
                new GhostWindow(none.first(), none.last(), none.perHour(), none.bulk(), whileNotFiring),
                plain.scan(), plain.baseline());
    }
}
