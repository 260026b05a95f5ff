package io.ghostwatch.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.snapshot.GhostWindow;

import java.util.Locale;

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
}
