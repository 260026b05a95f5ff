package io.ghostwatch.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own, from {@code initdb}, on a free loopback port: for tests that stop
 * and restart the server (the machine's main server holds other databases). Run as the {@code postgres} OS
 * user when the tests run as root (initdb refuses root). Stopped and deleted on {@link #close()}.
 */
public final class PrivateCluster implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;

    private PrivateCluster(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    public static PrivateCluster start() {
        return start("postgres");
    }

    /**
     * A cluster whose bootstrap superuser is {@code superuser}: {@code supabase_admin} lays a cluster out as
     * Supabase does, where {@code postgres} is an ordinary role.
     */
    public static PrivateCluster start(String superuser) {
        return start(binaries(), superuser);
    }

    /** The same from the binaries in {@code bin} (Maven Central's build of another major). */
    static PrivateCluster start(Path bin, String superuser) {
        try {
            Path dir = Files.createTempDirectory("gw-cluster");
            PrivateCluster cluster = new PrivateCluster(bin, dir, Ports.free());
            if (Commands.asRoot()) {
                Commands.run(List.of("chown", "postgres:postgres", dir.toString()));
            }
            cluster.pg("initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", superuser, "--no-sync");
            // In the file, not on the command line, so a test can turn fsync on with ALTER SYSTEM (standbys copy it).
            Files.writeString(dir.resolve("data/postgresql.conf"), "\nfsync = off\n", StandardOpenOption.APPEND);
            // The one role that must authenticate, for the wrong-password test (.ci/run adds the same rule to the
            // machine's server); every other role is trusted.
            Path hba = dir.resolve("data/pg_hba.conf");
            Files.writeString(hba, "host all gw_password_user 127.0.0.1/32 scram-sha-256\n" + Files.readString(hba));
            cluster.startServer();
            return cluster;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a private PostgreSQL cluster", e);
        }
    }

    /** The machine's newest PostgreSQL (Debian's), else Maven Central's build the tests carry. */
    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return MavenPostgres.bin();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no initdb under " + root));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL binaries under " + root + " (apt-get install postgresql)",
                    e);
        }
    }

    /**
     * A streaming replica of this cluster, as production has one: {@code pg_basebackup -R} into a directory of
     * its own, started on another free port, connecting back as {@code application_name} so the primary's
     * {@code pg_stat_replication} names it. Close it before this cluster.
     */
    public PrivateCluster standby(String applicationName) {
        try {
            Path standbyDir = Files.createTempDirectory("gw-standby");
            if (Commands.asRoot()) {
                Commands.run(List.of("chown", "postgres:postgres", standbyDir.toString()));
            }
            PrivateCluster standby = new PrivateCluster(bin, standbyDir, Ports.free());
            pg("pg_basebackup", "-d", "host=127.0.0.1 port=" + port + " user=postgres application_name="
                    + applicationName, "-D", standbyDir.resolve("data").toString(), "-R", "-X", "stream",
                    "-c", "fast", "--no-sync");
            standby.startServer();
            return standby;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a standby of the private cluster", e);
        }
    }

    /** A JDBC URL of one of this cluster's databases. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    public void startServer() {
        pg("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
    }

    /** A fast shutdown: sessions are terminated, as in a crash-free failover or a restart for maintenance. */
    public void stopServer() {
        pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    }

    private void pg(String tool, String... args) {
        List<String> command = new ArrayList<>(List.of(bin.resolve(tool).toString()));
        command.addAll(List.of(args));
        Commands.run(Commands.asPostgres(command));
    }

    @Override
    public void close() {
        try {
            stopServer();
        } catch (IllegalStateException ignored) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir, e);
        }
    }
}
