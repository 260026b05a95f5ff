package io.ghostwatch.deploy;

import io.ghostwatch.testing.Ghostwatch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs here to build the images, so this checks what can be checked without one: the native
 * image is built from source in Mandrel, shipped on a minimal base, and runs as a non-root numeric UID.
 */
class DockerfileTest {

    private static List<String> instructions(String file) throws IOException {
        return Files.readAllLines(Path.of(file)).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    @Test
    void theNativeImageIsMultiStageMinimalAndNonRoot() throws IOException {
        List<String> lines = instructions("Dockerfile.native");
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();

        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).contains("quarkus-mandrel-builder-image").endsWith("AS build");
        assertThat(froms.get(1)).contains("quarkus-micro-image");
        assertThat(lines).anyMatch(l -> l.startsWith("RUN ./mvnw") && l.contains("-Dnative"));
        int lastFrom = lines.lastIndexOf(froms.get(1));
        List<String> runtime = lines.subList(lastFrom, lines.size());
        assertThat(runtime).anyMatch(l -> l.matches("USER [1-9][0-9]*(:[0-9]+)?"));
        // The heap cap the native suite runs with: a native executable otherwise sizes its heap from the memory
        // it sees, which in a container is the node's, not the pod's limit.
        assertThat(runtime).contains("ENTRYPOINT [\"/work/ghostwatch\", \"" + Ghostwatch.NATIVE_HEAP_CAP + "\"]");
        assertThat(runtime).noneMatch(l -> l.startsWith("RUN "));
    }

    @Test
    void whatTheImagesRunIsOwnedByRootSoTheUserThatRunsItCannotReplaceIt() throws IOException {
        for (String dockerfile : List.of("Dockerfile.native", "src/main/docker/Dockerfile.jvm")) {
            List<String> lines = instructions(dockerfile);
            String lastFrom = lines.stream().filter(l -> l.startsWith("FROM ")).reduce((a, b) -> b).orElseThrow();
            List<String> runtime = lines.subList(lines.lastIndexOf(lastFrom), lines.size());
            List<String> copies = runtime.stream().filter(l -> l.startsWith("COPY ")).toList();
            assertThat(copies).as(dockerfile).isNotEmpty().allSatisfy(copy -> {
                assertThat(copy).contains("--chown=0:0");
                Matcher mode = Pattern.compile("--chmod=0?([0-7])([0-7])([0-7])").matcher(copy);
                assertThat(mode.find()).as("%s sets its mode", copy).isTrue();
                assertThat(Integer.parseInt(mode.group(2)) & 2).as("group-writable: %s", copy).isZero();
                assertThat(Integer.parseInt(mode.group(3)) & 2).as("world-writable: %s", copy).isZero();
            });
            assertThat(runtime).as(dockerfile).noneMatch(l -> l.matches("USER (0|root)(:.*)?"));
        }
    }

    @Test
    void theMandrelBuilderCompilesTheJavaVersionTheProjectTargets() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher release = Pattern.compile("<maven.compiler.release>(\\d+)</maven.compiler.release>").matcher(pom);
        assertThat(release.find()).isTrue();
        Matcher builder = Pattern.compile("quarkus-mandrel-builder-image:jdk-(\\d+) ")
                .matcher(instructions("Dockerfile.native").get(0));
        assertThat(builder.find()).isTrue();

        // Mandrel exists for JDK 21 and later; it compiles bytecode of any older release the project targets.
        assertThat(Integer.parseInt(builder.group(1))).isGreaterThanOrEqualTo(21)
                .isGreaterThanOrEqualTo(Integer.parseInt(release.group(1)));
    }

    @Test
    void theDockerContextHoldsOnlyWhatTheBuildsNeed() throws IOException {
        assertThat(Files.readAllLines(Path.of(".dockerignore"))).startsWith("*")
                .contains("!src/", "!pom.xml", "!mvnw", "!.mvn/", "!target/quarkus-app/");
        assertThat(instructions("src/main/docker/Dockerfile.jvm")).anyMatch(l -> l.startsWith("USER 185"));
    }
}
