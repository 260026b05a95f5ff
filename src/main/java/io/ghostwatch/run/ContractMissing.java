package io.ghostwatch.run;

import io.ghostwatch.path.TableContract;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.Sql;

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
     * The count a check makes of one contract: missing rows, the oldest due time, a sample of ids (oldest first),
     * the identities without a row it does not take, and the database's clock; same two parameters.
     */
    public static String count(TargetSchema s, TableContract t) {
        return "SELECT count(*) FILTER (WHERE x.takes), min(x.due) FILTER (WHERE x.takes),"
                + " (array_agg(x.id ORDER BY x.due) FILTER (WHERE x.takes))[1:" + SAMPLE + "],"
                + " count(*) FILTER (WHERE NOT x.takes), now() FROM (" + select(s, t, "") + ") x";
    }

    /**
     * The table's rows whose key names no identity (a hard delete the table did not follow): how many, and a few
     * keys. No parameters.
     */
    public static String orphans(TargetSchema s, TableContract t) {
        return "SELECT count(*), (array_agg(t." + t.quotedKey() + "::text ORDER BY t." + t.quotedKey() + "::text))[1:"
                + SAMPLE + "] FROM " + t.quotedTable() + " t WHERE t." + t.quotedKey() + " IS NOT NULL AND NOT EXISTS"
                + " (SELECT 1 FROM " + s.identityRows().quoted() + " i WHERE i." + s.identityId().quoted() + " = t."
                + t.quotedKey() + ")";
    }

    /** {@code SELECT id, due, takes[, extra] FROM … WHERE …}; {@code extra} an expression over {@code i}, or none. */
    public static String select(TargetSchema s, TableContract t, String extra) {
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
