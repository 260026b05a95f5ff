package io.ghostwatch.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghostwatch.canary.CanaryResult;
import io.ghostwatch.diagnose.Cause;
import io.ghostwatch.judge.Evidence;
import io.ghostwatch.judge.Judge;
import io.ghostwatch.judge.Policy;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.run.DatabaseLocation;
import io.ghostwatch.snapshot.GhostWindow;
import io.ghostwatch.snapshot.Ghosts;
import io.ghostwatch.snapshot.InsertCounters;
import io.ghostwatch.snapshot.Orphans;
import io.ghostwatch.snapshot.Scan;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.testing.RepoFiles;
import io.ghostwatch.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every field of the JSON report is named in README.md's "JSON report" section: none is added unseen. */
class JsonReportDocsTest {

    /** A report with every optional part present: canary, causes, insert counters, an incident window. */
    private static String fullReport() {
        Instant now = Snapshots.NOW;
        Ghosts ghosts = new Ghosts(3, 1, 2, 0, Optional.of(now.minus(Duration.ofDays(2))), 1,
                List.of(new Ghosts.GhostRow("00000000-0000-4000-8000-000000000001", Optional.of(now))));
        GhostWindow window = new GhostWindow(Optional.of(now.minus(Duration.ofDays(2))), Optional.of(now),
                List.of(new GhostWindow.HourCount(now, 3)), Optional.of(new GhostWindow.BulkLoads(1, 2,
                Optional.of(now), Optional.of(now))), OptionalLong.of(1));
        Snapshot s = new Snapshot(now, 100, 98, ghosts, new Orphans(1, 1), Snapshots.trigger("O"),
                Duration.ofMillis(5), Optional.of(new InsertCounters(100, 98)), window,
                new Scan(true, Optional.of(now), "first run"), Optional.empty());
        Evidence e = new Evidence(s, Optional.of(new CanaryResult(CanaryResult.Outcome.NO_PROFILE, "x")),
                List.of(new Cause("function_swallows_errors", Cause.Effect.LEAVES_GHOSTS, true, "s", "e", "f")));
        return JsonReport.render(new CheckOutcome("t", new DatabaseLocation("db:5432", "app", "u"), now, now, e,
                Judge.judge(e, Policy.DEFAULT, TargetSchema.supabaseDefaults())));
    }

    private static void fields(String path, JsonNode node, List<String> out) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                String child = path.isEmpty() ? name : path + "." + name;
                out.add(child);
                fields(child, node.get(name), out);
            }
        } else if (node.isArray()) {
            node.forEach(element -> fields(path + "[]", element, out));
        }
    }

    @Test
    void everyFieldOfTheReportIsInTheReadme() throws IOException {
        String readme = Files.readString(RepoFiles.path("README.md"));
        int start = readme.indexOf("## JSON report (`ghostwatch.check/v1`)");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<String> paths = new ArrayList<>();
        fields("", new ObjectMapper().readTree(fullReport()), paths);

        assertThat(paths).hasSizeGreaterThan(60);
        List<String> missing = paths.stream().filter(p -> {
            String name = p.substring(p.lastIndexOf('.') + 1).replace("[]", "");
            return !Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(section).find();
        }).toList();
        assertThat(missing).as("fields of ghostwatch.check/v1 the README's JSON section does not name").isEmpty();
    }
}
