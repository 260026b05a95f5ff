package io.ghostwatch.diagnose;

import io.ghostwatch.sql.SqlText;

import static io.ghostwatch.sql.SqlText.identifier;
import static io.ghostwatch.sql.SqlText.isName;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a function's INSERTs write, column by column, read from its text with the string literals kept (a metadata
 * key is one). A reading of text, not a parse: {@code INSERT INTO t (cols) VALUES (…)} and {@code … SELECT …}
 * with a column list; the first row of a multi-row VALUES.
 */
final class InsertValues {

    /**
     * One column's value.
     *
     * @param schema     the table's schema as written; empty when unqualified
     * @param table      the table as written, unquoted or folded
     * @param column     the column, unquoted or folded
     * @param expression the value's tokens
     * @param skipsConflicts ON CONFLICT DO NOTHING without a target: a unique violation skips the row
     * @param conflictTarget the columns of {@code ON CONFLICT (…)}, when the statement names them
     */
    record Value(Optional<String> schema, String table, String column, List<String> expression,
                 boolean skipsConflicts, List<String> conflictTarget) {

        /** Whether the statement writes that table (its schema, when the text names one). */
        boolean into(String schemaName, String tableName) {
            return table.equals(tableName) && schema.map(s -> s.equals(schemaName)).orElse(true);
        }
    }

    private InsertValues() {
    }

    static List<Value> read(String body) {
        List<String> tokens = SqlText.tokensKeepingLiterals(body);
        List<Value> values = new ArrayList<>();
        for (int i = 0; i + 2 < tokens.size(); i++) {
            if (is(tokens.get(i), "INSERT") && is(tokens.get(i + 1), "INTO")) {
                statement(tokens, i + 2, values);
            }
        }
        return values;
    }

    private static void statement(List<String> tokens, int at, List<Value> values) {
        int end = at;
        while (end < tokens.size() && !tokens.get(end).equals(";")) {
            end++;
        }
        int k = at;
        if (!isName(tokens.get(k))) {
            return;
        }
        Optional<String> schema = Optional.empty();
        String table = identifier(tokens.get(k++));
        if (k + 1 < end && tokens.get(k).equals(".") && isName(tokens.get(k + 1))) {
            schema = Optional.of(table);
            table = identifier(tokens.get(k + 1));
            k += 2;
        }
        if (k < end && is(tokens.get(k), "AS")) {
            k += 2;
        } else if (k < end && isName(tokens.get(k)) && !is(tokens.get(k), "VALUES") && !is(tokens.get(k), "SELECT")
                && !is(tokens.get(k), "DEFAULT") && !is(tokens.get(k), "OVERRIDING")) {
            k++;
        }
        if (k >= end || !tokens.get(k).equals("(")) {
            return;
        }
        int close = matching(tokens, k, end);
        List<String> columns = new ArrayList<>();
        for (List<String> c : split(tokens, k + 1, close)) {
            columns.add(c.size() == 1 && isName(c.get(0)) ? identifier(c.get(0)) : "");
        }
        k = close + 1;
        List<List<String>> exprs;
        if (k + 1 < end && is(tokens.get(k), "VALUES") && tokens.get(k + 1).equals("(")) {
            exprs = split(tokens, k + 2, matching(tokens, k + 1, end));
        } else if (k < end && is(tokens.get(k), "SELECT")) {
            exprs = split(tokens, k + 1, SqlText.selectListEnd(tokens, k + 1, end));
        } else {
            return;
        }
        boolean skips = false;
        List<String> target = new ArrayList<>();
        for (int s = k; s + 1 < end; s++) {
            if (is(tokens.get(s), "ON") && is(tokens.get(s + 1), "CONFLICT")) {
                int t = s + 2;
                if (t < end && tokens.get(t).equals("(")) {
                    int c = matching(tokens, t, end);
                    for (List<String> col : split(tokens, t + 1, c)) {
                        if (col.size() == 1 && isName(col.get(0))) {
                            target.add(identifier(col.get(0)));
                        }
                    }
                    t = c + 1;
                } else if (t + 1 < end && is(tokens.get(t), "ON") && is(tokens.get(t + 1), "CONSTRAINT")) {
                    t += 3;
                }
                skips = target.isEmpty() && t + 1 < end && is(tokens.get(t), "DO") && is(tokens.get(t + 1), "NOTHING");
            }
        }
        for (int v = 0; v < exprs.size() && v < columns.size(); v++) {
            if (!columns.get(v).isEmpty()) {
                values.add(new Value(schema, table, columns.get(v), List.copyOf(exprs.get(v)), skips,
                        List.copyOf(target)));
            }
        }
    }

    private static int matching(List<String> tokens, int open, int end) {
        int depth = 0;
        for (int k = open; k < end; k++) {
            depth += tokens.get(k).equals("(") ? 1 : tokens.get(k).equals(")") ? -1 : 0;
            if (depth == 0) {
                return k;
            }
        }
        return end;
    }

    private static List<List<String>> split(List<String> tokens, int from, int to) {
        return SqlText.splitTopLevel(tokens, from, to);
    }

    static boolean is(String token, String keyword) {
        return token.equalsIgnoreCase(keyword);
    }
}
