package io.ghostwatch.judge;

import io.ghostwatch.diagnose.CauseCode;
import io.ghostwatch.testing.RepoFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The finding codes are one fixed list: the metric's label values and the generated alert tests
 * (FindingAlertsTest) come from it, so no code may be made outside it, and the README lists every one.
 */
class FindingCodeTest {

    @Test
    void theListHoldsEveryCheckCodeAndOneCodePerCauseEachOnce() {
        List<String> all = FindingCode.all();

        assertThat(all).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z][a-z_]*[a-z]"));
        assertThat(all).hasSize(FindingCode.values().length + CauseCode.values().length)
                .contains("ghost_users_many", "signups_blocked", "cause_read_only_mode", "cause_server_is_standby");
    }

    @Test
    void noFindingIsMadeWithACodeOutsideTheList() throws IOException {
        // Finding's canonical constructor takes any text (reports and tests build findings by hand); the checks
        // must name a FindingCode, so a new code cannot bypass the list and its alert test.
        try (Stream<Path> files = Files.walk(RepoFiles.path("src/main/java"))) {
            List<String> literal = files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
                try {
                    return Files.readString(f).matches("(?s).*new Finding\\(\\s*\".*");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(Path::toString).toList();
            assertThat(literal).as("files making a finding from a string literal").isEmpty();
        }
    }

    @Test
    void theReadmeNamesEveryCode() throws IOException {
        String readme = Files.readString(RepoFiles.path("README.md"));

        for (FindingCode c : FindingCode.values()) {
            assertThat(readme).as(c.code()).contains("`" + c.code() + "`");
        }
        for (CauseCode c : CauseCode.values()) {
            assertThat(readme).as(c.code()).contains("`" + c.code() + "`");
        }
    }
}
