package io.ghostwatch.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ghostwatch.judge.CheckRow;
import io.ghostwatch.judge.Finding;
import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.snapshot.Ghosts;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TriggerState;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code --output json} report, schema {@code ghostwatch.check/v1} (documented in README.md). Built as a
 * tree so the field order is stable and nothing depends on reflection (native images). Ids, counts and times
 * only: never emails.
 */
public final class JsonReport {

    public static final String SCHEMA = "ghostwatch.check/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String render(CheckOutcome outcome) {
        Snapshot s = outcome.snapshot();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("target", outcome.target());
        ObjectNode db = root.putObject("database");
        db.put("host", outcome.database().hostAndPort());
        db.put("name", outcome.database().database());
        root.put("startedAt", outcome.startedAt().toString());
        root.put("finishedAt", outcome.finishedAt().toString());
        root.put("databaseTime", s.databaseTime().toString());
        root.put("durationSeconds", seconds(s.elapsed()));
        root.put("priority", outcome.verdict().priority().name());
        root.put("priorityLevel", outcome.verdict().priority().level());
        root.put("scan", s.scan().kind());
        root.put("lastFullScanAt", s.scan().lastFullScanAt().map(Object::toString).orElse(null));
        root.put("scanReason", s.scan().reason());

        ObjectNode snap = root.putObject("snapshot");
        snap.put("identities", s.identities());
        snap.put("profiles", s.profiles());
        snap.put("parityDelta", s.parityDelta());
        Ghosts g = s.ghosts();
        ObjectNode ghosts = snap.putObject("ghosts");
        ghosts.put("total", g.total());
        ghosts.put("old", g.old());
        ghosts.put("recent", g.recent());
        ghosts.put("withoutCreatedAt", g.withoutCreatedAt());
        ghosts.put("anonymousExcluded", g.anonymousExcluded());
        ghosts.put("deletedExcluded", g.deletedExcluded());
        putInstant(ghosts, "oldestCreatedAt", g.oldestCreatedAt());
        ghosts.put("oldestAgeSeconds", seconds(g.oldestAge(s.databaseTime())));
        WindowJson.window(ghosts.putObject("window"), s.window());
        ObjectNode orphans = snap.putObject("orphans");
        orphans.put("unhandled", s.orphans().unhandled());
        orphans.put("softDeleted", s.orphans().softDeleted());
        TriggerState t = s.trigger();
        ObjectNode trigger = snap.putObject("trigger");
        trigger.put("present", t.present());
        trigger.put("enabled", t.fires());
        trigger.put("tgenabled", t.tgenabled().orElse(null));
        trigger.put("function", t.function().orElse(null));
        trigger.put("configuredFunctionExists", t.configuredFunctionExists());
        ArrayNode elsewhere = trigger.putArray("sameNameElsewhere");
        t.sameNameElsewhere().forEach(elsewhere::add);
        ArrayNode overrides = trigger.putArray("replicaOverrides");
        for (TriggerState.ReplicaOverride o : t.replicaOverrides()) {
            overrides.addObject().put("scope", o.scope()).put("undo", o.undo());
        }

        ArrayNode diagnosis = snap.putArray("diagnosis");
        outcome.causes().forEach(c -> WindowJson.cause(diagnosis, c));
        if (s.inserts().isPresent()) {
            snap.putObject("inserts").put("identity", s.inserts().get().identity())
                    .put("profile", s.inserts().get().profile());
        }
        WindowJson.signups(snap, "signups", outcome.evidence().signups());
        WindowJson.blockers(snap.putArray("signupBlockers"), outcome.evidence().blockers());
        if (outcome.canary().isPresent()) {
            snap.putObject("canary").put("outcome", outcome.canary().get().outcome().name().toLowerCase())
                    .put("detail", outcome.canary().get().detail());
        } else {
            snap.putNull("canary");
        }

        PathJson.contract(root, outcome.evidence().contract(), g.anonymousExcluded());
        PathJson.path(root, outcome.evidence().contract().flatMap(ProfileContract::path));
        PathJson.watches(root, outcome.evidence().writeWatches());
        PathJson.contracts(root, outcome.evidence().contractRows());
        if (outcome.evidence().takenSince().isPresent()) {
            ObjectNode converted = root.putObject("convertedGhosts")
                    .put("count", outcome.evidence().takenSince().get().count());
            ArrayNode sample = converted.putArray("sample");
            outcome.evidence().takenSince().get().sample().forEach(sample::add);
        } else {
            root.putNull("convertedGhosts");
        }

        ArrayNode checks = root.putArray("checks");
        for (CheckRow r : outcome.verdict().rows()) {
            checks.addObject()
                    .put("checkName", r.checkName())
                    .put("passed", r.passed())
                    .put("issueCount", r.issueCount())
                    .put("severity", r.severity())
                    .put("message", r.message());
        }
        ArrayNode findings = root.putArray("findings");
        for (Finding f : outcome.verdict().findings()) {
            ObjectNode node = findings.addObject()
                    .put("code", f.code())
                    .put("priority", f.priority().name())
                    .put("runbookStep", f.runbookStep())
                    .put("summary", f.summary());
            ArrayNode actions = node.putArray("actions");
            f.actions().forEach(actions::add);
        }
        ArrayNode sample = root.putArray("ghostSample");
        for (Ghosts.GhostRow row : g.sample()) {
            ObjectNode node = sample.addObject().put("id", row.id());
            putInstant(node, "createdAt", row.createdAt());
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render the JSON report", e);
        }
    }

    private static void putInstant(ObjectNode node, String field, Optional<Instant> value) {
        if (value.isPresent()) {
            node.put(field, value.get().toString());
        } else {
            node.putNull(field);
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
