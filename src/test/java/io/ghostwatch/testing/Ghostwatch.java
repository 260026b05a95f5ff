package io.ghostwatch.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged artifact as a user would: the native executable when one was built
 * ({@code native.image.path}), else {@code java -jar target/quarkus-app/quarkus-run.jar}. Configuration goes in
 * as environment variables, one process per run, so each run sees exactly the settings the test gives it.
 */
public final class Ghostwatch {

    private final Map<String, String> env = new HashMap<>();

    private Ghostwatch() {
    }

    /** A run configured against a test database. */
    public static Ghostwatch against(TestDatabase db) {
        return new Ghostwatch()
                .env("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl())
                .env("QUARKUS_DATASOURCE_USERNAME", db.user())
                .env("QUARKUS_DATASOURCE_PASSWORD", db.password());
    }

    public static Ghostwatch unconfigured() {
        return new Ghostwatch();
    }

    public Ghostwatch env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** What ends a run's use of the class archive, once the run has ended (nothing for most runs). */
    private Optional<Runnable> afterExit = Optional.empty();

    private ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(launcher());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // Nothing of the developer's own environment may configure the run under test.
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("GHOSTWATCH_"));
        pb.environment().putAll(env);
        return pb;
    }

    /** Starts a long-running command ({@code serve}); stop it with {@link Running#close()}. */
    public Running start(String... args) {
        try {
            Path log = Files.createTempFile("ghostwatch-serve", ".log");
            Process process = builder(args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Running(process, log, takeAfterExit());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start ghostwatch", e);
        }
    }

    public Result run(String... args) {
        ProcessBuilder pb = builder(args);
        try {
            Path out = Files.createTempFile("ghostwatch-out", ".txt");
            Path err = Files.createTempFile("ghostwatch-err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process = pb.start();
            Optional<Runnable> done = takeAfterExit();
            boolean finished = process.waitFor(120, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            done.ifPresent(Runnable::run);
            if (!finished) {
                throw new IllegalStateException("ghostwatch " + String.join(" ", args) + " did not finish in 120s");
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ghostwatch", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The heap cap the image's entrypoint passes (Dockerfile.native): the tests run what production runs. */
    public static final String NATIVE_HEAP_CAP = "-Xmx32m";

    /** Whether the runs under test are the native executable's. */
    public static boolean isNative() {
        return !System.getProperty("native.image.path", "").isBlank();
    }

    private Optional<Runnable> takeAfterExit() {
        Optional<Runnable> done = afterExit;
        afterExit = Optional.empty();
        return done;
    }

    private List<String> launcher() {
        // Set only by a native build (pom.xml's native profiles): never an executable an earlier build left.
        String nativeImage = System.getProperty("native.image.path", "");
        if (!nativeImage.isBlank()) {
            if (!new File(nativeImage).canExecute()) {
                throw new IllegalStateException("this is a native build but " + nativeImage + " is missing: the"
                        + " native compile did not run (set GRAALVM_HOME to a native-image toolchain)");
            }
            return List.of(nativeImage, NATIVE_HEAP_CAP);
        }
        String appDir = System.getProperty("ghostwatch.app.dir", "target/quarkus-app");
        File jar = new File(appDir, "quarkus-run.jar");
        if (!jar.isFile()) {
            throw new IllegalStateException(jar + " is missing: run the …IT tests through `./mvnw verify`");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Each run is a short-lived process: the C1 compiler and the serial GC start it about a quarter faster,
        // and a class-data archive of the app (ClassArchive) about a third faster again, which over the hundreds
        // of runs of the suite matters more than peak speed.
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        ClassArchive.Flags archive = ClassArchive.forRun(jar);
        command.addAll(archive.flags());
        afterExit = archive.afterExit();
        command.addAll(List.of("-jar", jar.getAbsolutePath()));
        return List.copyOf(command);
    }

    /** A process started by {@link #start}. Closing it sends SIGTERM and waits, then kills. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path log;

        private Optional<Runnable> afterExit;

        Running(Process process, Path log, Optional<Runnable> afterExit) {
            this.process = process;
            this.log = log;
            this.afterExit = afterExit;
        }

        /** Once the process has ended: the class archive it may have written becomes usable. */
        private void ended() {
            if (!process.isAlive()) {
                Optional<Runnable> done = afterExit;
                afterExit = Optional.empty();
                done.ifPresent(Runnable::run);
            }
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Everything it printed so far (stdout and stderr). */
        public String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Kills it outright (SIGKILL), as an OOM kill or a node loss would. */
        public void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended();
        }

        /** Waits for it to end by itself; its exit code. */
        public int waitFor(java.time.Duration limit) throws InterruptedException {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("still running after " + limit + ":\n" + output());
            }
            ended();
            return process.exitValue();
        }

        /** Stops it the way Kubernetes does (SIGTERM) and returns its exit code. */
        public int stop() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                ended();
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                stop();
            }
            ended();
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }

    /** What a run left: its exit code, its stdout (the report) and its stderr (logs and errors). */
    public record Result(int exitCode, String stdout, String stderr) {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
                new com.fasterxml.jackson.databind.ObjectMapper();

        /** stdout as the one JSON document {@code --output json} prints, after asserting the run exited 0. */
        public com.fasterxml.jackson.databind.JsonNode json() {
            return json(0);
        }

        /** The same for a command whose expected exit code is another (e.g. 1: diagnose found something). */
        public com.fasterxml.jackson.databind.JsonNode json(int expectedExit) {
            if (exitCode != expectedExit) {
                throw new AssertionError("expected exit " + expectedExit + ": " + this);
            }
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("stdout is not one JSON document: " + this, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }
}
