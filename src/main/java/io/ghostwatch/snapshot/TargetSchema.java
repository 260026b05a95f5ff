package io.ghostwatch.snapshot;

import io.ghostwatch.sql.Sql;
import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.QualifiedName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the user-sync pieces live in the target database. All names are validated identifiers.
 *
 * @param anonymousColumn   present only when anonymous identities are <em>not</em> expected to have profiles:
 *                          ghosts whose column is true are then excluded
 * @param softDeleteColumn  empty when the profile table has no soft-delete column
 * @param signupRole        the role that inserts identities, whose settings can silence the trigger
 * @param identityDeletedAt the identity's deletion time: identities with one are not ghosts
 * @param identityDeletedAtDetected the column above is the default, kept only where the table has it
 * @param identityReadThrough a view the monitor reads identities through (sql/supabase.sql), owned by a role
 *                          that may read the identity table; empty: the table itself
 * @param readThroughDetected the view above is the default, used only where it exists and may be read
 * @param selection         which identities the profile contract covers, as the signup path writes the profile
 *                          (guests skipped, made on confirmation): others lack a profile by design; empty: all
 * @param selectionDetected the selection is read from the signup path at each check (the default)
 */
public record TargetSchema(
        QualifiedName identityTable,
        Identifier identityId,
        Identifier identityCreatedAt,
        Optional<Identifier> anonymousColumn,
        QualifiedName profileTable,
        Identifier profileId,
        Optional<Identifier> softDeleteColumn,
        Identifier triggerName,
        QualifiedName triggerFunction,
        Optional<String> signupRole,
        Optional<Identifier> identityDeletedAt,
        boolean identityDeletedAtDetected,
        Optional<QualifiedName> identityReadThrough,
        boolean readThroughDetected,
        Optional<Selection> selection,
        boolean selectionDetected) {

    /**
     * The identities the profile contract covers, from the signup path.
     *
     * @param sql       SQL over the identity row, {@code {i}} standing for its alias; built by the path from the
     *                  identity table's own column names and keywords only
     * @param text      the condition as the path writes it, for reports
     * @param agedFrom  the identity column a missing profile is aged from (e.g. {@code email_confirmed_at})
     * @param onUpdate  some profiles are made by an UPDATE trigger (e.g. on confirmation), not at signup
     * @param triggers  the triggers whose functions write the profile
     */
    public record Selection(String sql, String text, Optional<String> agedFrom, boolean onUpdate,
                            List<String> triggers) {

        public Selection {
            triggers = List.copyOf(triggers);
        }

        String over(String alias) {
            return sql.replace("{i}", alias);
        }
    }

    /** The view sql/supabase.sql creates; read when it exists and the monitor may read it. */
    public static final QualifiedName READ_THROUGH = QualifiedName.parse("ghostwatch_read.identities");

    /** Supabase's soft-delete column on auth.users, the default when the identity table has it. */
    public static final Identifier DELETED_AT = Identifier.of("deleted_at");

    public TargetSchema(QualifiedName identityTable, Identifier identityId, Identifier identityCreatedAt,
                        Optional<Identifier> anonymousColumn, QualifiedName profileTable, Identifier profileId,
                        Optional<Identifier> softDeleteColumn, Identifier triggerName, QualifiedName triggerFunction,
                        Optional<String> signupRole) {
        this(identityTable, identityId, identityCreatedAt, anonymousColumn, profileTable, profileId,
                softDeleteColumn, triggerName, triggerFunction, signupRole, Optional.empty(), false, Optional.empty(),
                false, Optional.empty(), false);
    }

    /** This schema with another sync trigger: the signup path's writer of the profile, the configured one absent. */
    public TargetSchema withTriggerName(Identifier found) {
        return new TargetSchema(identityTable, identityId, identityCreatedAt, anonymousColumn, profileTable,
                profileId, softDeleteColumn, found, triggerFunction, signupRole, identityDeletedAt,
                identityDeletedAtDetected, identityReadThrough, readThroughDetected, selection, selectionDetected);
    }

    /** This schema with the profile contract's selection read from the signup path (or none found). */
    public TargetSchema withSelection(Optional<Selection> found) {
        return new TargetSchema(identityTable, identityId, identityCreatedAt, anonymousColumn, profileTable,
                profileId, softDeleteColumn, triggerName, triggerFunction, signupRole, identityDeletedAt,
                identityDeletedAtDetected, identityReadThrough, readThroughDetected, found, false);
    }

    /**
     * The tables and columns a scan reads, and which ones leave rows out, as one string: a baseline (and the
     * unmatched rows it kept as they were read) holds only while these stay the same.
     */
    public String rowShape() {
        return String.join(" ", identityRows().quoted(), identityTable().quoted(), identityId().quoted(),
                identityCreatedAt().quoted(), anonymousColumn().map(Identifier::quoted).orElse("-"),
                identityDeletedAt().map(Identifier::quoted).orElse("-"), profileTable().quoted(), profileId().quoted(),
                softDeleteColumn().map(Identifier::quoted).orElse("-"),
                selection.map(s -> s.sql() + s.agedFrom().map(a -> " aged " + a).orElse("")).orElse("-"));
    }

    /** The identity column a ghost is aged from, quoted: the contract's, else the creation time. */
    public String agedFromQuoted() {
        return selection.flatMap(Selection::agedFrom).map(Sql::quoteIdent).orElse(identityCreatedAt.quoted());
    }

    /**
     * SQL that is true for an identity ({@code alias}) left out by design when it has no profile: an anonymous one
     * (when configured so), or one the signup path does not give a profile (its selection). Deleted ones apart.
     */
    public String leftOutByDesign(String alias) {
        List<String> parts = new ArrayList<>();
        anonymousColumn.ifPresent(c -> parts.add("coalesce(" + alias + "." + c.quoted() + ", false)"));
        selection.ifPresent(s -> parts.add("coalesce(" + s.over(alias) + ", false) IS NOT TRUE"));
        return parts.isEmpty() ? "false" : "(" + String.join(" OR ", parts) + ")";
    }

    /** Where the monitor reads identity rows: the read-through view when there is one, else the table. */
    public QualifiedName identityRows() {
        return identityReadThrough.orElse(identityTable);
    }

    /**
     * SQL that is true for an identity ({@code alias}) that is not a ghost when it has no profile: an anonymous
     * one (when configured so) or a deleted one.
     */
    public String excludedIdentity(String alias) {
        List<String> parts = new ArrayList<>();
        parts.add(leftOutByDesign(alias));
        identityDeletedAt.ifPresent(c -> parts.add(deletedIdentity(alias)));
        return "(" + String.join(" OR ", parts) + ")";
    }

    /** SQL that is true for a deleted identity ({@code alias}): soft-deleted, where the table keeps them. */
    public String deletedIdentity(String alias) {
        return identityDeletedAt.map(c -> "(" + alias + "." + c.quoted() + " IS NOT NULL)").orElse("false");
    }

    /**
     * This schema with its defaults detected against the database: {@code deleted_at} kept where the identity
     * table has it, the read-through view used where it exists and the role may read it. Configured names stay
     * as they are (the preflight names them when missing).
     */
    public TargetSchema resolved(Connection c) throws SQLException {
        if (!detectsAnything()) {
            return this;
        }
        Optional<Identifier> deletedAt = identityDeletedAt;
        if (identityDeletedAtDetected && deletedAt.isPresent()) {
            try (PreparedStatement st = c.prepareStatement(Sql.byName("SELECT EXISTS (SELECT 1"
                    + " FROM pg_catalog.pg_attribute WHERE attrelid = pg_catalog.to_regclass(?::text)"
                    + " AND attname = ?::name AND attnum > 0 AND NOT attisdropped)"))) {
                st.setString(1, identityTable.quoted());
                st.setString(2, deletedAt.get().name());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    deletedAt = rs.getBoolean(1) ? deletedAt : Optional.empty();
                }
            }
        }
        Optional<QualifiedName> readThrough = identityReadThrough;
        if (readThroughDetected && readThrough.isPresent()) {
            // By name, not to_regclass: that raises an error for a schema the role may not use.
            try (PreparedStatement st = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?::name"
                    + " AND c.relname = ?::name AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')"
                    + " AND pg_catalog.has_table_privilege(c.oid, 'SELECT'))")) {
                st.setString(1, readThrough.get().schema().name());
                st.setString(2, readThrough.get().name().name());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    readThrough = rs.getBoolean(1) ? readThrough : Optional.empty();
                }
            }
        }
        return new TargetSchema(identityTable, identityId, identityCreatedAt, anonymousColumn, profileTable,
                profileId, softDeleteColumn, triggerName, triggerFunction, signupRole, deletedAt, false, readThrough,
                false, selection, selectionDetected);
    }

    /** Whether {@link #resolved} has anything to read: false once resolved, or when everything is configured. */
    public boolean detectsAnything() {
        return identityDeletedAtDetected && identityDeletedAt.isPresent()
                || readThroughDetected && identityReadThrough.isPresent() || selectionDetected;
    }

    /** Runbook Step 3A's statement for the configured names; it also turns {@code R} back into {@code O}. */
    public String enableTriggerStatement() {
        return "ALTER TABLE " + identityTable.quoted() + " ENABLE TRIGGER " + triggerName.quoted() + ";";
    }

    /** The Supabase layout the runbook is written for. */
    public static TargetSchema supabaseDefaults() {
        return new TargetSchema(
                QualifiedName.parse("auth.users"), Identifier.of("id"), Identifier.of("created_at"), Optional.empty(),
                QualifiedName.parse("public.users"), Identifier.of("id"), Optional.of(Identifier.of("deleted_at")),
                Identifier.of("on_auth_user_created"), QualifiedName.parse("public.handle_new_user"),
                Optional.of("supabase_auth_admin"));
    }
}
