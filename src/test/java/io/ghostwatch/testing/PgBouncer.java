package io.ghostwatch.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's PgBouncer in front of a test database, on a free loopback port, in the pooling mode a test names
 * ({@code transaction}, as Supabase's port 6543; {@code session}, as its port 5432). Configured as such poolers
 * are: no server reset in transaction mode, the driver's {@code extra_float_digits} startup parameter ignored
 * (PgBouncer refuses it otherwise). Runs as the {@code postgres} OS user when the tests run as root (PgBouncer
 * refuses root). Stopped and its folder deleted on {@link #close()}.
 */
public final class PgBouncer implements AutoCloseable {

    private static final Pattern HOST_PORT = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/.*");

    private final Path dir;
    private final int port;
    private final String database;

    private PgBouncer(Path dir, int port, String database) {
        this.dir = dir;
        this.port = port;
        this.database = database;
    }

    /**
     * Starts one for {@code db} with a pool of {@code poolSize} server sessions per role; {@code roles} may log in
     * through it (trust, as the test server does).
     */
    public static PgBouncer start(TestDatabase db, String mode, int poolSize, String... roles) {
        Matcher m = HOST_PORT.matcher(db.jdbcUrl());
        if (!m.matches()) {
            throw new IllegalStateException("cannot read host and port from " + db.jdbcUrl());
        }
        String binary = PrometheusTools.binary("pgbouncer", "pgbouncer");
        try {
            Path dir = Files.createTempDirectory("gw-pgbouncer");
            int port = Ports.free();
            List<String> users = new ArrayList<>(List.of(db.user()));
            users.addAll(List.of(roles));
            StringBuilder auth = new StringBuilder();
            users.forEach(u -> auth.append('"').append(u).append("\" \"\"\n"));
            Files.writeString(dir.resolve("users.txt"), auth.toString());
            Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                    "[databases]",
                    db.name() + " = host=" + m.group(1) + " port=" + (m.group(2) == null ? "5432" : m.group(2))
                            + " dbname=" + db.name(),
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + port,
                    "unix_socket_dir =",
                    "auth_type = trust",
                    "auth_file = " + dir.resolve("users.txt"),
                    "pool_mode = " + mode,
                    "default_pool_size = " + poolSize,
                    "max_client_conn = 100",
                    "ignore_startup_parameters = extra_float_digits",
                    "logfile = " + dir.resolve("pgbouncer.log"),
                    "pidfile = " + dir.resolve("pgbouncer.pid"),
                    ""));
            if (Commands.asRoot()) {
                Commands.run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            }
            Commands.run(Commands.asPostgres(List.of(binary, "-d", dir.resolve("pgbouncer.ini").toString())));
            PgBouncer bouncer = new PgBouncer(dir, port, db.name());
            bouncer.awaitListening();
            return bouncer;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start pgbouncer", e);
        }
    }

    /** The URL a client gives to reach the database through this pooler. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A connection through the pooler, for fixtures; no server-side prepared statements, as ghostwatch's. */
    public Connection connect(String role) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", role);
        p.setProperty("prepareThreshold", "0");
        return DriverManager.getConnection(url(), p);
    }

    /** What the pooler logged, for a failing assertion's message. */
    public String log() {
        try {
            return Files.readString(dir.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
        throw new IllegalStateException("pgbouncer did not listen on port " + port + " within 20 s:\n" + log());
    }

    @Override
    public void close() {
        Path pidFile = dir.resolve("pgbouncer.pid");
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).ifPresent(h -> {
                    h.destroy(); // SIGTERM: PgBouncer closes its connections and exits
                    h.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
                    if (h.isAlive()) {
                        h.destroyForcibly();
                    }
                });
            }
        } catch (IOException | NumberFormatException e) {
            // never started: nothing to stop
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir, e);
        }
    }
}
