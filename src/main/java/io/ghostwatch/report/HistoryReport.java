package io.ghostwatch.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ghostwatch.history.RunRow;
import io.ghostwatch.judge.Priority;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ghostwatch history}: the runbook's {@code get_sync_status_history}, per run or per day (UTC), with
 * the moments the priority changed. JSON schema {@code ghostwatch.history/v1}.
 */
public final class HistoryReport {

    public static final String SCHEMA = "ghostwatch.history/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HistoryReport() {
    }

    /**
     * A change of the checked priority between consecutive checked runs. The first checked run shown is a change
     * from nothing known ({@code from} empty): a window of runs that were all P0 still says when P0 was seen.
     */
    public record Change(String at, Optional<String> from, String to) {
    }

    public static List<Change> changes(List<RunRow> runs) {
        List<Change> changes = new ArrayList<>();
        Optional<String> previous = Optional.empty();
        for (RunRow r : runs) {
            if (r.priority().isEmpty()) {
                continue;
            }
            String now = r.priority().get();
            if (previous.isEmpty() || !previous.get().equals(now)) {
                changes.add(new Change(r.finishedAt().toString(), previous, now));
            }
            previous = Optional.of(now);
        }
        return changes;
    }

    /** Per UTC day: runs, failed runs, worst and last priority, most ghosts and orphans seen. */
    public record Day(LocalDate day, int runs, int failed, Optional<String> worst, Optional<String> last,
                      long maxGhosts, long maxOrphans) {
    }

    public static List<Day> days(List<RunRow> runs) {
        Map<LocalDate, List<RunRow>> byDay = new LinkedHashMap<>();
        for (RunRow r : runs) {
            byDay.computeIfAbsent(r.finishedAt().atZone(ZoneOffset.UTC).toLocalDate(), d -> new ArrayList<>()).add(r);
        }
        List<Day> days = new ArrayList<>();
        byDay.forEach((day, rows) -> {
            Optional<String> worst = rows.stream().flatMap(r -> r.priority().stream())
                    .max((a, b) -> Integer.compare(Priority.valueOf(a).level(), Priority.valueOf(b).level()));
            Optional<String> last = rows.stream().flatMap(r -> r.priority().stream()).reduce((a, b) -> b);
            days.add(new Day(day, rows.size(), (int) rows.stream().filter(r -> r.outcome().equals("failed")).count(),
                    worst, last, rows.stream().flatMap(r -> r.ghosts().stream()).mapToLong(Long::longValue).max()
                    .orElse(0), rows.stream().flatMap(r -> r.orphans().stream()).mapToLong(Long::longValue).max()
                    .orElse(0)));
        });
        return days;
    }

    public static String table(String target, int daysBack, List<RunRow> runs, boolean perDay) {
        StringBuilder out = new StringBuilder();
        out.append("ghostwatch history: target ").append(target).append(", last ").append(daysBack)
                .append(daysBack == 1 ? " day" : " days").append(", ").append(runs.size()).append(" runs\n\n");
        if (perDay) {
            out.append(String.format("%-10s  %5s  %6s  %-5s  %-5s  %10s  %11s%n", "day", "runs", "failed", "worst",
                    "last", "max_ghosts", "max_orphans"));
            for (Day d : days(runs)) {
                out.append(String.format("%-10s  %5d  %6d  %-5s  %-5s  %10d  %11d%n", d.day(), d.runs(), d.failed(),
                        d.worst().orElse("-"), d.last().orElse("-"), d.maxGhosts(), d.maxOrphans()));
            }
        } else {
            out.append(String.format("%-24s  %-7s  %-8s  %6s  %4s  %7s  %6s  %-8s  %8s%n", "finished_at", "outcome",
                    "priority", "ghosts", "old", "orphans", "parity", "trigger", "ms"));
            Optional<String> previous = Optional.empty();
            for (RunRow r : runs) {
                String marker = "";
                if (r.priority().isPresent()) {
                    if (previous.isPresent() && !previous.get().equals(r.priority().get())) {
                        marker = "  <- " + previous.get() + " to " + r.priority().get();
                    }
                    previous = r.priority();
                }
                out.append(String.format("%-24s  %-7s  %-8s  %6s  %4s  %7s  %6s  %-8s  %8d%s%n",
                        r.finishedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), r.outcome(),
                        r.priority().orElse("-"), num(r.ghosts()), num(r.ghostsOld()), num(r.orphans()),
                        num(r.parityDelta()), r.triggerEnabled().map(e -> e ? "firing" : r.tgenabled()
                                .map(t -> "off (" + t + ")").orElse("missing")).orElse("-"),
                        r.durationMs(), marker));
                r.error().ifPresent(e -> out.append("    error: ").append(e).append('\n'));
            }
        }
        List<Change> changes = changes(runs);
        out.append("\nState changes: ").append(changes.isEmpty() ? "none (no run reached the database)" : "")
                .append('\n');
        changes.forEach(c -> out.append("  ").append(c.at()).append("  ")
                .append(c.from().map(f -> f + " -> " + c.to()).orElse(c.to() + " (first run shown)")).append('\n'));
        return out.toString();
    }

    public static String json(String target, int daysBack, List<RunRow> runs) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("target", target);
        root.put("days", daysBack);
        ArrayNode list = root.putArray("runs");
        for (RunRow r : runs) {
            ObjectNode n = list.addObject();
            n.put("runId", r.runId());
            n.put("startedAt", r.startedAt().toString());
            n.put("finishedAt", r.finishedAt().toString());
            n.put("outcome", r.outcome());
            n.put("priority", r.priority().orElse(null));
            putLong(n, "ghosts", r.ghosts());
            putLong(n, "ghostsOld", r.ghostsOld());
            putLong(n, "orphanedProfiles", r.orphans());
            putLong(n, "parityDelta", r.parityDelta());
            if (r.triggerEnabled().isPresent()) {
                n.put("triggerEnabled", r.triggerEnabled().get());
            } else {
                n.putNull("triggerEnabled");
            }
            n.put("tgenabled", r.tgenabled().orElse(null));
            n.put("durationMs", r.durationMs());
            n.put("error", r.error().orElse(null));
        }
        ArrayNode changes = root.putArray("changes");
        changes(runs).forEach(c -> changes.addObject().put("at", c.at()).put("from", c.from().orElse(null))
                .put("to", c.to()));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String num(Optional<Long> v) {
        return v.map(String::valueOf).orElse("-");
    }

    private static void putLong(ObjectNode n, String field, Optional<Long> v) {
        if (v.isPresent()) {
            n.put(field, v.get());
        } else {
            n.putNull(field);
        }
    }
}
