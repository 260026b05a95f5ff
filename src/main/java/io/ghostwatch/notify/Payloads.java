package io.ghostwatch.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ghostwatch.judge.Durations;
import io.ghostwatch.judge.Finding;
import io.ghostwatch.judge.Priority;
import io.ghostwatch.report.WindowJson;
import io.ghostwatch.snapshot.Ghosts;
import io.ghostwatch.snapshot.Snapshot;

import java.time.Duration;
import java.util.Optional;

/**
 * Renders a notification for each channel. The generic webhook gets the versioned JSON payload
 * ({@code ghostwatch.notification/v1}, README.md); Slack gets a readable message. Neither carries an email
 * unless the operator opted in, and Slack never does.
 */
public final class Payloads {

    public static final String VERSION = "ghostwatch.notification/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Payloads() {
    }

    public static String webhook(Notification n, NotifySettings settings) {
        Snapshot s = n.outcome().snapshot();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        root.put("id", n.id().toString());
        root.put("kind", n.kind().wireName());
        root.put("escalation", n.escalation());
        root.put("target", n.target());
        root.put("priority", n.priority().name());
        root.put("previousPriority", n.previous().name());
        root.put("occurredAt", n.occurredAt().toString());
        if (n.incidentOpenedAt().isPresent()) {
            root.put("incidentOpenedAt", n.incidentOpenedAt().get().toString());
            root.put("unresolvedSeconds", Duration.between(n.incidentOpenedAt().get(), n.occurredAt()).toSeconds());
        } else {
            root.putNull("incidentOpenedAt");
            root.putNull("unresolvedSeconds");
        }
        root.put("summary", headline(n, settings));
        nextStep(n).ifPresent(f -> root.put("runbookStep", f.runbookStep()));
        settings.runbookUrl().ifPresent(u -> root.put("runbookUrl", u));
        ObjectNode counts = root.putObject("counts");
        counts.put("ghosts", s.ghosts().total());
        counts.put("ghostsOld", s.ghosts().old());
        counts.put("ghostsRecent", s.ghosts().recent());
        counts.put("orphanedProfiles", s.orphans().unhandled());
        counts.put("identities", s.identities());
        counts.put("profiles", s.profiles());
        counts.put("parityDelta", s.parityDelta());
        WindowJson.window(root.putObject("incidentWindow"), s.window());
        WindowJson.signups(root, "signups", n.outcome().evidence().signups());
        WindowJson.blockers(root.putArray("signupBlockers"), n.outcome().evidence().blockers());
        ObjectNode trigger = root.putObject("trigger");
        trigger.put("present", s.trigger().present());
        trigger.put("enabled", s.trigger().fires());
        trigger.put("tgenabled", s.trigger().tgenabled().orElse(null));
        ArrayNode findings = root.putArray("findings");
        for (Finding f : n.outcome().verdict().findings()) {
            ObjectNode node = findings.addObject();
            node.put("code", f.code()).put("priority", f.priority().name()).put("runbookStep", f.runbookStep())
                    .put("summary", f.summary());
            ArrayNode actions = node.putArray("actions");
            f.actions().forEach(actions::add);
        }
        ArrayNode ids = root.putArray("ghostIds");
        s.ghosts().sample().forEach(g -> ids.add(g.id()));
        if (settings.includeEmails()) {
            ArrayNode emails = root.putArray("ghostEmails");
            n.emails().forEach(emails::add);
        }
        return write(root);
    }

    public static String slack(Notification n, NotifySettings settings) {
        Snapshot s = n.outcome().snapshot();
        StringBuilder text = new StringBuilder();
        text.append(slackEscape(headline(n, settings))).append('\n');
        if (n.kind() != NotificationKind.RESOLVED) {
            Ghosts g = s.ghosts();
            text.append(g.total()).append(" ghost users (").append(g.old()).append(" old, ").append(g.recent())
                    .append(" recent) · ").append(s.orphans().unhandled()).append(" orphaned profiles · trigger ")
                    .append(s.trigger().fires() ? "firing" : s.trigger().tgenabled()
                            .map(t -> "not firing (tgenabled " + t + ")").orElse("missing"))
                    .append('\n');
            nextStep(n).ifPresent(f -> {
                // Summaries and actions carry names and error text that the watched database chose.
                text.append("Next: runbook ").append(f.runbookStep()).append(": ").append(slackEscape(f.summary()));
                if (!f.actions().isEmpty()) {
                    text.append("\n`").append(slackEscape(f.actions().get(0))).append('`');
                }
                text.append('\n');
            });
        }
        settings.runbookUrl().ifPresent(u -> text.append("Runbook: <").append(u).append(">\n"));
        ObjectNode root = MAPPER.createObjectNode();
        root.put("text", text.toString().strip());
        return write(root);
    }

    /**
     * Slack's control characters made inert: {@code <!channel>} would ping everyone and {@code <url|text>}
     * would disguise a link (Slack's "escaping text": only &amp;, &lt; and &gt;).
     */
    static String slackEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** One line saying what happened, for both channels. */
    static String headline(Notification n, NotifySettings settings) {
        String where = "user sync of " + n.target();
        String unresolved = n.incidentOpenedAt()
                .map(t -> " for " + Durations.human(Duration.between(t, n.occurredAt()))).orElse("");
        String line = switch (n.kind()) {
            case OPENED -> n.priority() + " opened: " + where + " is drifting";
            case RAISED -> n.priority() + " (raised from " + n.previous() + "): " + where + " got worse";
            case LOWERED -> n.priority() + " (lowered from " + n.previous() + "): " + where + " improved, not resolved";
            case REMINDER -> n.priority() + " still unresolved" + unresolved + ": " + where;
            case RESOLVED -> "Resolved: " + where + " is back to OK (was " + n.previous() + ")";
            case ALERT -> n.priority() + ": " + where + " is drifting";
        };
        if (n.escalation()) {
            Duration limit = settings.escalateAfter().get(n.priority());
            line += ". ESCALATION: " + n.priority() + " not resolved in " + Durations.human(limit)
                    + "; escalate to " + settings.escalationContacts();
        }
        return line;
    }

    private static Optional<Finding> nextStep(Notification n) {
        return n.outcome().verdict().findings().stream().filter(f -> f.priority() != Priority.OK).findFirst();
    }

    private static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a notification", e);
        }
    }
}
