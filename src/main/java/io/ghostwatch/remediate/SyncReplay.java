package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.diagnose.SyncFunction;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.PgArrays;
import io.ghostwatch.sql.Sql;
import io.ghostwatch.sql.SqlText;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step 4 by the sync function itself: each batch copies its ghosts' identity rows into a temporary table
 * shaped {@code LIKE} the identity table that carries an {@code AFTER INSERT} trigger executing the sync
 * function, so the function runs once per ghost with {@code NEW} = that ghost's row, under its own SECURITY
 * DEFINER and search_path: the profile gets what a signup's would have (the docs' starter fills full_name and
 * avatar_url from raw_user_meta_data, which no column mapping knows). Only the identity columns the function
 * reads ({@code NEW.<column>}), and those that must not be null, are copied (never a password hash it does not
 * read); the table is dropped with the transaction.
 */
final class SyncReplay implements BatchWriter {

    private static final String TEMP = "ghostwatch_replay";
    private static final Pattern NEW_COLUMN =
            Pattern.compile("(?i)\\bnew\\s*\\.\\s*(\"(?:[^\"]|\"\")+\"|[a-z_][a-z0-9_$]*)");
    private static final Pattern NEW_WHOLE = Pattern.compile("(?i)\\bnew\\b(?!\\s*\\.)");

    private static final String COLUMNS = Sql.byName("""
            SELECT a.attname::text, a.attnotnull AND NOT a.atthasdef
            FROM pg_catalog.pg_attribute a
            WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(?::text) AND a.attnum > 0
              AND NOT a.attisdropped
            ORDER BY a.attnum
            """);

    private final Settings settings;
    private final String function;
    private final List<String> columns;

    private SyncReplay(Settings settings, String function, List<String> columns) {
        this.settings = settings;
        this.function = function;
        this.columns = List.copyOf(columns);
    }

    /** The replay of the configured trigger's function; empty when the trigger (so its function) is missing. */
    static Optional<SyncReplay> of(Connection c, Settings settings) throws SQLException {
        TargetSchema s = settings.schema();
        Optional<SyncFunction> sync = SyncFunction.read(c, s);
        if (sync.isEmpty()) {
            return Optional.empty();
        }
        String function = sync.get().name(); // qualified, quoted where needed, with "()"
        String body = sync.get().body();
        // Comments and strings set aside; RETURN NEW passes the row back, it does not read a column.
        String code = SqlText.strip(body).replaceAll("(?i)\\breturn\\s+new\\b", "return");
        Set<String> read = new LinkedHashSet<>();
        Matcher m = NEW_COLUMN.matcher(code);
        while (m.find()) {
            String name = m.group(1);
            read.add(name.startsWith("\"") ? name.substring(1, name.length() - 1).replace("\"\"", "\"")
                    : name.toLowerCase(Locale.ROOT));
        }
        boolean wholeRow = NEW_WHOLE.matcher(code).find(); // to_jsonb(new), a call with NEW: every column
        List<String> columns = new ArrayList<>(); // catalog names: quoted, never validated
        try (PreparedStatement st = c.prepareStatement(COLUMNS)) {
            st.setString(1, s.identityTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    boolean required = rs.getBoolean(2) || name.equals(s.identityId().name())
                            || name.equals(s.identityCreatedAt().name());
                    if (wholeRow || required || read.contains(name)) {
                        columns.add(name);
                    }
                }
            }
        }
        return Optional.of(new SyncReplay(settings, function, columns));
    }

    String function() {
        return function;
    }

    private String setup() {
        return "CREATE TEMPORARY TABLE " + TEMP + " (LIKE " + settings.schema().identityTable().quoted()
                + " INCLUDING DEFAULTS) ON COMMIT DROP";
    }

    private String trigger() {
        return "CREATE TRIGGER " + TEMP + " AFTER INSERT ON pg_temp." + TEMP + " FOR EACH ROW EXECUTE FUNCTION "
                + function;
    }

    private String copy(String idsParam) {
        TargetSchema s = settings.schema();
        String list = String.join(", ", columns.stream().map(Sql::quoteIdent).toList());
        String values = String.join(", ", columns.stream().map(col -> "i." + Sql.quoteIdent(col)).toList());
        String iid = s.identityId().quoted();
        return "INSERT INTO pg_temp." + TEMP + " (" + list + ") SELECT " + values + " FROM "
                + s.identityTable().quoted() + " i WHERE i." + iid + " = ANY (" + idsParam + ") AND NOT "
                + s.excludedIdentity("i") + " AND NOT EXISTS (SELECT 1 FROM " + s.profileTable().quoted()
                + " p WHERE p." + s.profileId().quoted() + " = i." + iid + ") RETURNING " + iid + "::text";
    }

    private String repaired() {
        TargetSchema s = settings.schema();
        return "SELECT pg_catalog.array_agg(p." + s.profileId().quoted() + "::text) FROM " + s.profileTable().quoted()
                + " p WHERE p." + s.profileId().quoted() + " = ANY (?)";
    }

    private String record() {
        return "INSERT INTO " + settings.history().table("remediated_ids") + " (remediation_id, user_id)"
                + " SELECT ?, pg_catalog.unnest(?::text[])";
    }

    @Override
    public long write(Connection c, List<String> ids, Optional<UUID> audit) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(setup());
            st.execute(trigger());
        }
        List<String> copied = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(copy("?"))) {
            st.setObject(1, PgArrays.literal(ids), Types.OTHER);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    copied.add(rs.getString(1));
                }
            }
        }
        List<String> repaired = List.of();
        if (!copied.isEmpty()) {
            try (PreparedStatement st = c.prepareStatement(repaired())) {
                st.setObject(1, PgArrays.literal(copied), Types.OTHER);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    Array a = rs.getArray(1);
                    repaired = a == null ? List.of() : Arrays.asList((String[]) a.getArray());
                }
            }
        }
        if (audit.isPresent() && !repaired.isEmpty()) {
            try (PreparedStatement st = c.prepareStatement(record())) {
                st.setObject(1, audit.get());
                st.setArray(2, c.createArrayOf("text", repaired.toArray()));
                st.executeUpdate();
            }
        }
        try (Statement st = c.createStatement()) { // the next batch in this transaction (a trial) starts clean
            st.execute("DROP TABLE pg_temp." + TEMP);
        }
        return repaired.size();
    }

    @Override
    public List<String> statements() {
        return List.of(setup(), trigger(), copy("$ids"), repaired().replace("?", "$copied"),
                record().replaceFirst("\\?", "\\$remediation").replace("?::text[]", "$repaired"));
    }

    @Override
    public String how() {
        return "by replaying the sync function " + function + " on each ghost's identity row (what its trigger"
                + " would have written), copying identity columns " + String.join(", ", columns);
    }
}
