package io.ghostwatch.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.signups.Blocker;
import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.snapshot.GhostWindow;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** JSON pieces shared by the check report, {@code diagnose} and the webhook payload. */
public final class WindowJson {

    private WindowJson() {
    }

    /** Step 6's incident window: first/last ghost, ghosts per hour, bulk loads, ghosts made while not firing. */
    public static void window(ObjectNode node, GhostWindow w) {
        node.put("firstCreatedAt", w.first().map(Object::toString).orElse(null));
        node.put("lastCreatedAt", w.last().map(Object::toString).orElse(null));
        if (w.whileTriggerNotFiring().isPresent()) {
            node.put("whileTriggerNotFiring", w.whileTriggerNotFiring().getAsLong());
        } else {
            node.putNull("whileTriggerNotFiring");
        }
        ArrayNode hours = node.putArray("perHour");
        w.perHour().forEach(h -> hours.addObject().put("hour", h.hour().toString()).put("ghosts", h.ghosts()));
        if (w.bulk().isEmpty()) {
            node.putNull("bulkLoads");
            return;
        }
        GhostWindow.BulkLoads b = w.bulk().get();
        ObjectNode bulk = node.putObject("bulkLoads");
        bulk.put("transactions", b.transactions());
        bulk.put("ghosts", b.rows());
        bulk.put("firstCreatedAt", b.first().map(Object::toString).orElse(null));
        bulk.put("lastCreatedAt", b.last().map(Object::toString).orElse(null));
    }

    public static void cause(ArrayNode list, Cause c) {
        list.addObject().put("code", c.code()).put("effect", c.effect().name().toLowerCase(Locale.ROOT))
                .put("heuristic", c.heuristic()).put("summary", c.summary()).put("evidence", c.evidence())
                .put("fix", c.fix());
    }

    /** Signups since the last check ({@code null} when history is off: nothing to count from). */
    public static void signups(ObjectNode parent, String field, Optional<SignupActivity> activity) {
        if (activity.isEmpty()) {
            parent.putNull(field);
            return;
        }
        SignupActivity a = activity.get();
        ObjectNode node = parent.putObject(field);
        node.put("since", a.since().map(Object::toString).orElse(null));
        node.put("counted", a.counted());
        node.put("attempted", a.attempted());
        node.put("committed", a.committed());
        node.put("committedExact", a.committedExact());
        node.put("rolledBack", a.rolledBack());
        node.put("canaryExcluded", a.canaryExcluded());
        node.put("rolledBackSinceLastCommit", a.rolledBackSinceCommit());
        node.put("lastCommitSeenAt", a.lastCommitSeenAt().map(Object::toString).orElse(null));
        node.put("countingSince", a.countingSince().toString());
        node.put("failing", a.failing());
        node.put("unknown", a.unknown().orElse(null));
    }

    /** Sessions holding a lock that signups wait for: who, what, how long; never the rows they touched. */
    public static void blockers(ArrayNode list, List<Blocker> blockers) {
        for (Blocker b : blockers) {
            ObjectNode node = list.addObject();
            node.put("pid", b.pid());
            node.put("user", b.user().orElse(null));
            node.put("application", b.application().orElse(null));
            node.put("state", b.state().orElse(null));
            if (b.held().isPresent()) {
                node.put("heldSeconds", b.held().get().toMillis() / 1000.0);
            } else {
                node.putNull("heldSeconds");
            }
            node.put("mode", b.mode());
            node.put("table", b.table());
            node.put("query", b.query().orElse(null));
            node.put("waiting", b.waiting());
            node.put("granted", b.granted());
            b.waitsFor().forEach(node.putArray("waitsFor")::add);
            node.put("fix", b.fix());
        }
    }
}
