package io.ghostwatch.path;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a table the signup path writes on INSERT (other than the profile table, whose rows are counted one by one)
 * keeps being written, from the statistics' cumulative insert counts: signups (identity inserts) since the table
 * last grew. A write whose condition cannot be written in SQL cannot be counted per identity; a rate that was
 * non-zero and stopped is the signal it leaves (a pricing flag's IF that stopped every new user's subscription).
 * Rolled-back inserts count on both sides, as the statistics count them.
 *
 * @param table                 {@code schema.table} as found
 * @param condition             when the path writes it
 * @param identityInserts       the identity table's count now
 * @param tableInserts          the table's count now
 * @param grewAtIdentityInserts the identity table's count when the table last grew while watched; empty until it
 *                              has (a table never seen growing says nothing)
 * @param grewAt                when that was seen
 */
public record WriteWatch(String table, Condition condition, long identityInserts, long tableInserts,
                         Optional<Long> grewAtIdentityInserts, Optional<Instant> grewAt) {

    /** What a check keeps of a watch for the next one. */
    public record Kept(long identityInserts, long tableInserts, Optional<Long> grewAtIdentityInserts,
                       Optional<Instant> grewAt) {
    }

    /** A table to watch, with when the path writes it. */
    public record Watched(String schema, String table, Condition condition) {

        public String where() {
            return schema + "." + table;
        }
    }

    /** Signups since the table last grew; empty until it has grown while watched. */
    public Optional<Long> signupsSinceWrite() {
        return grewAtIdentityInserts.map(g -> identityInserts - g);
    }

    /**
     * The watch after this check's counts: it starts again when there was none or a count went down (statistics
     * reset, restart); the table grew since: it was written now; else it carries when it last was.
     */
    public static WriteWatch advance(Watched w, Optional<Kept> before, long identityInserts, long tableInserts,
                                     Instant now) {
        if (before.isEmpty() || identityInserts < before.get().identityInserts()
                || tableInserts < before.get().tableInserts()) {
            return new WriteWatch(w.where(), w.condition(), identityInserts, tableInserts, Optional.empty(),
                    Optional.empty());
        }
        Kept k = before.get();
        if (tableInserts > k.tableInserts()) {
            return new WriteWatch(w.where(), w.condition(), identityInserts, tableInserts,
                    Optional.of(identityInserts), Optional.of(now));
        }
        return new WriteWatch(w.where(), w.condition(), identityInserts, tableInserts, k.grewAtIdentityInserts(),
                k.grewAt());
    }

    /** What to keep of it. */
    public Kept kept() {
        return new Kept(identityInserts, tableInserts, grewAtIdentityInserts, grewAt);
    }

    /**
     * The tables the path writes on INSERT (insert or upsert) with the identity's id in the row, found, other than
     * the profile table: one each. Each signup it reaches makes a new row there, so inserts follow signups.
     */
    public static List<Watched> watched(SignupPath path, String profileSchema, String profileTable) {
        Map<String, List<PathWrite>> byTable = new LinkedHashMap<>();
        for (PathWrite w : path.writes()) {
            if (w.schema().isPresent() && w.keyColumn().isPresent() && w.events().contains("INSERT")
                    && !w.verb().equals("UPDATE")
                    && !w.writes(profileSchema, profileTable)) {
                byTable.computeIfAbsent(w.where(), k -> new ArrayList<>()).add(w);
            }
        }
        List<Watched> watched = new ArrayList<>();
        byTable.forEach((where, writes) -> watched.add(new Watched(writes.get(0).schema().orElseThrow(),
                writes.get(0).table(), Condition.anyOf(writes.stream().map(PathWrite::condition).toList()))));
        return watched;
    }
}
