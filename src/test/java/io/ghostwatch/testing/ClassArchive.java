package io.ghostwatch.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * A class-data archive of the app for the suite's JVM runs: the first run writes it as it exits, every later run
 * maps it instead of loading and verifying the same classes again (about a third of a run's start-up here). JDK
 * 19+ does this with one flag; on 17 the first run dumps with {@code ArchiveClassesAtExit} into a temporary file
 * that becomes the archive once that run has ended, so no run maps a half-written one. Keyed by the jar's size
 * and time, so a rebuilt app gets its own; the JVM itself ignores an archive whose class path changed. Its log
 * lines are off: they would mix into the output under test.
 */
final class ClassArchive {

    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static boolean dumping;

    /** The flags for one run, and what to do once that run has ended. */
    record Flags(List<String> flags, Optional<Runnable> afterExit) {
    }

    private ClassArchive() {
    }

    static synchronized Flags forRun(File jar) {
        if (!Boolean.parseBoolean(System.getProperty("ghostwatch.it.class-archive", "true"))) {
            return new Flags(List.of(), Optional.empty()); // -Dghostwatch.it.class-archive=false: to compare
        }
        File target = jar.getAbsoluteFile().getParentFile().getParentFile();
        if (Runtime.version().feature() >= 19) {
            Path archive = target.toPath().resolve("ghostwatch-it.jsa");
            return new Flags(concat(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive)),
                    Optional.empty());
        }
        Path archive = target.toPath().resolve("ghostwatch-it-" + jar.length() + "-" + jar.lastModified() + ".jsa");
        if (Files.isRegularFile(archive)) {
            return new Flags(concat(List.of("-XX:SharedArchiveFile=" + archive)), Optional.empty());
        }
        if (dumping) {
            return new Flags(List.of(), Optional.empty()); // another run is writing it; this one goes without
        }
        dumping = true;
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        return new Flags(concat(List.of("-XX:ArchiveClassesAtExit=" + partial)), Optional.of(() -> done(partial,
                archive)));
    }

    private static synchronized void done(Path partial, Path archive) {
        dumping = false;
        try {
            if (Files.isRegularFile(partial) && Files.size(partial) > 0) {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(partial); // the run was killed before it could write one: the next run tries
            }
        } catch (IOException e) {
            // no archive: later runs start without one, as they would on a JDK that cannot write it
        }
    }

    private static List<String> concat(List<String> flags) {
        return java.util.stream.Stream.concat(flags.stream(), QUIET.stream()).toList();
    }
}
