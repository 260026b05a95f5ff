package io.ghostwatch.remediate;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Not a test: the application's signups for {@link BackfillBenchmark}, in a process of their own as an
 * application's are (the benchmark's own JVM would add its pauses to their latency). Signs users up through the
 * trigger at a fixed pace from launch; stdin says when to record: {@code go} starts, {@code stop} prints the
 * recorded latencies in ms, one per line, then {@code end}; end of input quits.
 *
 * <p>Arguments: {@code jdbc-url user password signups-per-second}.
 */
public final class SignupLoad {

    private SignupLoad() {
    }

    public static void main(String[] args) throws Exception {
        long interval = 1_000_000_000L / Integer.parseInt(args[3]);
        List<Double> recorded = new ArrayList<>();
        Object lock = new Object();
        boolean[] recording = {false};
        Thread signups = new Thread(() -> {
            try (Connection c = DriverManager.getConnection(args[0], args[1], args[2]);
                 PreparedStatement st = c.prepareStatement("INSERT INTO auth.users (id, email, created_at)"
                         + " VALUES (?, 'bench-signup@example.com', now())")) {
                long next = System.nanoTime();
                while (true) {
                    st.setObject(1, UUID.randomUUID());
                    long t = System.nanoTime();
                    st.executeUpdate();
                    double ms = (System.nanoTime() - t) / 1e6;
                    synchronized (lock) {
                        if (recording[0]) {
                            recorded.add(ms);
                        }
                    }
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    } else {
                        next = System.nanoTime();
                    }
                }
            } catch (SQLException e) {
                System.err.println("signup failed: " + e.getMessage());
                System.exit(1);
            }
        }, "signups");
        signups.setDaemon(true);
        signups.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            synchronized (lock) {
                if (line.equals("go")) {
                    recorded.clear();
                    recording[0] = true;
                } else if (line.equals("stop")) {
                    recording[0] = false;
                    StringBuilder out = new StringBuilder();
                    recorded.forEach(ms -> out.append(ms).append('\n'));
                    System.out.print(out.append("end\n"));
                    System.out.flush();
                }
            }
        }
    }
}
