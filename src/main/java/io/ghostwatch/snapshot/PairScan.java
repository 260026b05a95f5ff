package io.ghostwatch.snapshot;

import io.ghostwatch.sql.ConnectionSource;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The one part of a full scan whose cost grows with the tables: comparing both primary keys. With parallelism,
 * the key space is cut at the id histogram's bounds and each slice is compared on its own connection, every one
 * inside the same exported snapshot ({@code pg_export_snapshot} / {@code SET TRANSACTION SNAPSHOT}), so the sum
 * is what one connection would have counted at that instant. A standby cannot export a snapshot, a table never
 * analyzed has no histogram: both compare on the one connection.
 */
final class PairScan {

    private final TargetSchema schema;
    private final SnapshotQueries queries;

    PairScan(TargetSchema schema, SnapshotQueries queries) {
        this.schema = schema;
        this.queries = queries;
    }

    /**
     * @param main        in the snapshot's REPEATABLE READ transaction, with its settings made; compares the first
     *                    slice itself
     * @param more        opens a connection per further slice
     * @param parallelism the most connections comparing at once (1: only {@code main})
     * @param statementTimeout and {@code lockTimeout}: the further connections' transactions make main's settings
     */
    Pairs scan(Connection main, Optional<ConnectionSource> more, int parallelism, Duration statementTimeout,
               Duration lockTimeout) throws SQLException {
        List<KeyRange> ranges = more.isPresent() && parallelism > 1 && !inRecovery(main)
                ? KeyRange.split(histogram(main), parallelism) : List.of(KeyRange.ALL);
        if (ranges.size() == 1) {
            return compare(main, KeyRange.ALL);
        }
        String snapshot = exportSnapshot(main);
        List<Statement> running = new CopyOnWriteArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(ranges.size() - 1, task -> {
            Thread t = new Thread(task, "ghostwatch-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Pairs>> others = new ArrayList<>();
            for (KeyRange range : ranges.subList(1, ranges.size())) {
                others.add(workers.submit(() -> compareElsewhere(more.get(), snapshot, range, statementTimeout,
                        lockTimeout, running)));
            }
            Pairs total = compare(main, ranges.get(0));
            for (Future<Pairs> other : others) {
                total = total.plus(result(other));
            }
            return total;
        } catch (SQLException | RuntimeException failure) {
            // One slice failed: the others' answers are worthless, and their queries should not run on.
            for (Statement st : running) {
                try {
                    st.cancel();
                } catch (SQLException ignored) {
                    // its connection is gone already
                }
            }
            throw failure;
        } finally {
            workers.shutdownNow();
            awaitQuietly(workers);
        }
    }

    private Pairs compareElsewhere(ConnectionSource source, String snapshot, KeyRange range,
                                   Duration statementTimeout, Duration lockTimeout, List<Statement> running)
            throws SQLException {
        try (Connection c = source.open();
             ReadOnlyTransaction tx = ReadOnlyTransaction.begin(c, statementTimeout, lockTimeout,
                     Optional.of(snapshot));
             PreparedStatement st = c.prepareStatement(queries.pairs(range))) {
            running.add(st);
            return compare(st, range);
        }
    }

    private Pairs compare(Connection c, KeyRange range) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(queries.pairs(range))) {
            return compare(st, range);
        }
    }

    private static Pairs compare(PreparedStatement st, KeyRange range) throws SQLException {
        int i = 1;
        // Each side of the join carries the same bounds.
        for (int side = 0; side < 2; side++) {
            if (range.from().isPresent()) {
                st.setObject(i++, range.from().get(), Types.OTHER);
            }
            if (range.to().isPresent()) {
                st.setObject(i++, range.to().get(), Types.OTHER);
            }
        }
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return new Pairs(rs.getLong("identities"), rs.getLong("profiles"), texts(rs.getArray("ghost_ids")),
                    texts(rs.getArray("orphan_ids")));
        }
    }

    private static List<String> texts(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    private static Pairs result(Future<Pairs> other) throws SQLException {
        try {
            return other.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the scan's other connections compared", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void awaitQuietly(ExecutorService workers) {
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean inRecovery(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SnapshotQueries.IN_RECOVERY)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private List<String> histogram(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SnapshotQueries.HISTOGRAM)) {
            st.setString(1, schema.identityTable().schema().name());
            st.setString(2, schema.identityTable().name().name());
            st.setString(3, schema.identityId().name());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next() || rs.getArray(1) == null) {
                    return List.of();
                }
                return texts(rs.getArray(1));
            }
        }
    }

    private static String exportSnapshot(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SnapshotQueries.EXPORT_SNAPSHOT)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
