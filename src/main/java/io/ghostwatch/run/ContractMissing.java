package io.ghostwatch.run;

import io.ghostwatch.path.TableContract;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.Sql;

import java.time.Duration;
import java.util.List;

/**
 * The identities a contract besides the profile's is missing rows for, as SQL: one row per identity of the
 * window (due within it and longer ago than the grace; deleted ones apart, and for a declared contract those left
 * out as the profile's are) without a row keyed by its id: {@code id} (text), {@code due} (when its row was due:
 * the creation, or the column the contract ages from) and {@code takes} (the contract takes it; false: left out by
 * design). Two parameters: the grace and the window, as interval text. One place, so the count a check makes and
 * the list {@code export affected --contract} prints are the same rows.
 */
public final class ContractMissing {

    /** How many ids a count samples. */
    public static final int SAMPLE = 5;

    private ContractMissing() {
    }

    /**
     * The count a check makes of one contract, in one statement: missing rows, the oldest due time, a sample of ids
     * (oldest first), the identities without a row it does not take, the database's clock; then the table's rows
     * whose key names no identity (a hard delete the table did not follow) and a few of their keys. The
     * {@link #intervals} as parameters.
     */
    public static String count(TargetSchema s, TableContract t) {
        return "SELECT m.*, o.* FROM (SELECT count(*) FILTER (WHERE x.takes), min(x.due) FILTER (WHERE x.takes),"
                + " (array_agg(x.id ORDER BY x.due) FILTER (WHERE x.takes))[1:" + SAMPLE + "],"
                + " count(*) FILTER (WHERE NOT x.takes), now() FROM (" + select(s, t, "") + ") x) m,"
                + " (SELECT count(*), (array_agg(t." + t.quotedKey() + "::text ORDER BY t." + t.quotedKey()
                + "::text))[1:" + SAMPLE + "] FROM " + t.quotedTable() + " t WHERE t." + t.quotedKey()
                + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + s.identityRows().quoted() + " i WHERE i."
                + s.identityId().quoted() + " = t." + t.quotedKey() + ")) o";
    }

    /**
     * The identities the contract takes that lack their row, oldest due first: {@code id}, {@code due} and
     * {@code extra} (an expression over {@code i}, or none). The {@link #intervals} as parameters.
     */
    public static String taken(TargetSchema s, TableContract t, String extra) {
        return "SELECT x.* FROM (" + select(s, t, extra) + ") x WHERE x.takes ORDER BY x.due, x.id";
    }

    /** The two parameters of these statements: the contract's grace and the window, as interval text. */
    public static List<String> intervals(TableContract t, Duration window) {
        return List.of(t.grace().toSeconds() + " seconds", window.toSeconds() + " seconds");
    }

    /** {@code SELECT id, due, takes[, extra] FROM … WHERE …}; {@code extra} an expression over {@code i}, or none. */
    private static String select(TargetSchema s, TableContract t, String extra) {
        String created = "i." + s.identityCreatedAt().quoted();
        String aged = t.agedFrom().map(a -> "i." + Sql.quoteIdent(a)).orElse(created);
        String due = "coalesce(" + aged + ", " + created + ")";
        String out = t.discovered() ? s.deletedIdentity("i") : s.excludedIdentity("i");
        String takes = "(coalesce(" + t.selects().sqlFor("i").orElseThrow() + ", false) AND " + aged
                + " IS NOT NULL)";
        // Ids first (both keys' indexes, no identity row read), then only the unmatched rows are read: at 10M
        // identities the rows the window and condition need would be gigabytes; the unmatched are few.
        String iid = s.identityId().quoted();
        return "WITH unmatched AS MATERIALIZED (SELECT u." + iid + " AS id FROM " + s.identityRows().quoted() + " u"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + t.quotedTable() + " t WHERE t." + t.quotedKey() + " = u."
                + iid + "))"
                + " SELECT i." + iid + "::text AS id, " + due + " AS due, " + takes + " AS takes"
                + (extra.isEmpty() ? "" : ", " + extra + " AS extra")
                + " FROM unmatched JOIN " + s.identityRows().quoted() + " i ON i." + iid + " = unmatched.id"
                + " WHERE " + due + " < now() - ?::interval AND " + due + " >= now() - ?::interval"
                + " AND NOT " + out;
    }
}
