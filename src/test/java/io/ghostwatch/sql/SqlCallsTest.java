package io.ghostwatch.sql;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's own SQL, read as text, for calls a {@code search_path} could redirect (CVE-2018-1058's class,
 * issue 21): a function taking a parameter the driver sends as {@code varchar} is an exact match for a
 * look-alike in any schema on the path. Every transaction pins the path to {@code pg_catalog} (SearchPathHijackIT
 * and PoolerIT prove it); these rules keep every transaction pinned, keep the SQL safe where it runs outside one,
 * and keep a slip from depending on the pin.
 */
class SqlCallsTest {

    private static final Path MAIN = Path.of("src/main/java/io/ghostwatch");

    /** Words followed by "(" in SQL that are syntax, not calls a search_path resolves. */
    private static final Set<String> SYNTAX = Set.of("in", "any", "all", "some", "exists", "values", "coalesce",
            "nullif", "greatest", "least", "cast", "row", "array", "not", "and", "or", "operator", "filter", "over",
            "as", "on", "using", "from", "where", "select", "returning", "conflict", "into", "set", "with", "when",
            "then", "else", "by", "is", "between", "like", "join", "lateral", "table");

    private static final Pattern CALL = Pattern.compile("(?<![\\w.\"])([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
    private static final Pattern SQL_TEXT = Pattern.compile(
            "\\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|WITH|WHERE|VALUES)\\b");

    @Test
    void everyCallGivenAParameterIsSchemaQualifiedOrTypesIt() {
        List<String> found = new ArrayList<>();
        for (Path file : javaSources(MAIN)) {
            for (String sql : sqlLiterals(file)) {
                untypedParameterCalls(sql).forEach(call -> found.add(MAIN.relativize(file) + ": " + call));
            }
        }
        assertThat(found).as("qualify them (pg_catalog.name) or type the parameter (?::text)").isEmpty();
    }

    @Test
    void theCanaryQualifiesEveryCallItMakesUnderTheSignupRolesPath() {
        List<String> found = new ArrayList<>();
        for (Path file : javaSources(MAIN.resolve("canary"))) {
            for (String sql : sqlLiterals(file)) {
                unqualifiedCalls(sql).forEach(call -> found.add(file.getFileName() + ": " + call));
            }
        }
        assertThat(found).as("the canary runs with the signup role's search_path: name pg_catalog").isEmpty();
    }

    @Test
    void everySecurityDefinerFunctionTheProjectShipsFixesItsSearchPath() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> scripts = Files.list(Path.of("sql"))) {
            for (Path script : scripts.filter(p -> p.toString().endsWith(".sql")).toList()) {
                definersWithoutPath(Files.readString(script)).forEach(f -> found.add(script + ": " + f));
            }
        }
        assertThat(found).isEmpty();
    }

    /**
     * Every transaction the code opens is pinned as it starts (SearchPath): the path is set per transaction, since
     * behind a pooler in transaction mode a session setting would land on another client's server session.
     */
    @Test
    void everyTransactionTheCodeOpensStartsWithTheSearchPathPin() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : javaSources(MAIN)) {
            unpinnedTransactions(Files.readAllLines(file)).forEach(line -> found.add(MAIN.relativize(file) + ":"
                    + line));
        }
        assertThat(found).as("start it with SearchPath.begin(c), or put SearchPath.PIN in its first statement")
                .isEmpty();
    }

    /** Line numbers of {@code setAutoCommit(false)} with no pin in the dozen lines after it. */
    static List<Integer> unpinnedTransactions(List<String> lines) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).contains("setAutoCommit(false)")) {
                continue;
            }
            boolean pinned = lines.subList(i + 1, Math.min(lines.size(), i + 13)).stream()
                    .anyMatch(l -> l.contains("SearchPath.") || l.contains("SnapshotQueries.SESSION")
                            || l.contains("pin(c)"));
            if (!pinned) {
                found.add(i + 1);
            }
        }
        return found;
    }

    @Test
    void theRulesFindWhatTheyLookFor() {
        assertThat(unpinnedTransactions(List.of("c.setAutoCommit(false);", "st.execute(sql);"))).containsExactly(1);
        assertThat(unpinnedTransactions(List.of("c.setAutoCommit(false);", "SearchPath.pin(c);"))).isEmpty();

        assertThat(untypedParameterCalls("SELECT to_regclass(?) IS NOT NULL")).containsExactly("to_regclass(?)");
        assertThat(untypedParameterCalls("SELECT has_table_privilege(r.oid, to_regclass(?), 'INSERT')"))
                .containsExactly("to_regclass(?)");
        assertThat(untypedParameterCalls("SELECT set_config('lock_timeout', ?, true)")).hasSize(1);
        assertThat(untypedParameterCalls("SELECT pg_catalog.to_regclass(?), hashtext(?::text), x IN (?)")).isEmpty();

        assertThat(unqualifiedCalls("INSERT INTO t (id, at) VALUES (?::uuid, now())")).containsExactly("now(");
        assertThat(unqualifiedCalls("SELECT EXISTS (SELECT 1 WHERE a OPERATOR(pg_catalog.=) pg_catalog.now())"))
                .isEmpty();

        assertThat(definersWithoutPath("""
                CREATE OR REPLACE FUNCTION gw.a() RETURNS bigint LANGUAGE sql SECURITY DEFINER
                AS $$ SELECT 1 $$;
                CREATE FUNCTION gw.b() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER
                SET search_path = pg_catalog, pg_temp AS $$ SELECT 2 $$;
                """)).containsExactly("gw.a");
    }

    /** Calls whose own argument list holds a {@code ?} without a cast, and that name no schema. */
    static List<String> untypedParameterCalls(String sql) {
        List<String> found = new ArrayList<>();
        Matcher m = CALL.matcher(sql);
        while (m.find()) {
            if (SYNTAX.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                continue;
            }
            String args = ownArguments(sql, m.end());
            if (Pattern.compile("\\?(?!::)").matcher(args).find()) {
                found.add(m.group(1) + "(" + args + ")");
            }
        }
        return found;
    }

    /** Every call that names no schema, SQL syntax (and a table before its column list) aside. */
    static List<String> unqualifiedCalls(String sql) {
        List<String> found = new ArrayList<>();
        Matcher m = CALL.matcher(sql);
        while (m.find()) {
            boolean columnList = sql.substring(0, m.start()).stripTrailing().toLowerCase(Locale.ROOT).endsWith("into");
            if (!SYNTAX.contains(m.group(1).toLowerCase(Locale.ROOT)) && !columnList) {
                found.add(m.group(1) + "(");
            }
        }
        return found;
    }

    /** Names of {@code SECURITY DEFINER} functions defined without a {@code SET search_path} clause. */
    static List<String> definersWithoutPath(String script) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("(?is)CREATE\\s+(?:OR\\s+REPLACE\\s+)?FUNCTION\\s+([\\w.\"]+)\\s*\\((.*?)\\bAS\\b")
                .matcher(script);
        while (m.find()) {
            String header = m.group(2);
            if (header.matches("(?is).*\\bSECURITY\\s+DEFINER\\b.*")
                    && !header.matches("(?is).*\\bSET\\s+search_path\\b.*")) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    /** The text between the "(" ending at {@code open} and its ")", nested parentheses left out. */
    private static String ownArguments(String sql, int open) {
        StringBuilder own = new StringBuilder();
        int depth = 1;
        for (int i = open; i < sql.length() && depth > 0; i++) {
            char ch = sql.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (depth == 1) {
                own.append(ch);
            }
        }
        return own.toString();
    }

    private static List<Path> javaSources(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The string literals and text blocks of a Java source (comments skipped) that read as SQL. */
    static List<String> sqlLiterals(Path file) {
        String src;
        try {
            src = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> literals = new ArrayList<>();
        int i = 0;
        while (i < src.length()) {
            if (src.startsWith("//", i)) {
                i = Math.max(src.indexOf('\n', i), i + 2);
            } else if (src.startsWith("/*", i)) {
                i = src.indexOf("*/", i + 2) + 2;
            } else if (src.charAt(i) == '\'') {
                i = src.charAt(i + 1) == '\\' ? src.indexOf('\'', i + 3) + 1 : i + 3;
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                literals.add(src.substring(i + 3, end));
                i = end + 3;
            } else if (src.charAt(i) == '"') {
                StringBuilder s = new StringBuilder();
                int j = i + 1;
                while (src.charAt(j) != '"') {
                    s.append(src.charAt(j) == '\\' ? src.charAt(++j) : src.charAt(j));
                    j++;
                }
                literals.add(s.toString());
                i = j + 1;
            } else {
                i++;
            }
        }
        return literals.stream().filter(l -> SQL_TEXT.matcher(l).find()).toList();
    }
}
