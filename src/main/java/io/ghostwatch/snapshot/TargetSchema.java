package io.ghostwatch.snapshot;

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
        boolean identityDeletedAtDetected) {

    /** Supabase's soft-delete column on auth.users, the default when the identity table has it. */
    public static final Identifier DELETED_AT = Identifier.of("deleted_at");

    public TargetSchema(QualifiedName identityTable, Identifier identityId, Identifier identityCreatedAt,
                        Optional<Identifier> anonymousColumn, QualifiedName profileTable, Identifier profileId,
                        Optional<Identifier> softDeleteColumn, Identifier triggerName, QualifiedName triggerFunction,
                        Optional<String> signupRole) {
        this(identityTable, identityId, identityCreatedAt, anonymousColumn, profileTable, profileId,
                softDeleteColumn, triggerName, triggerFunction, signupRole, Optional.empty(), false);
    }

    /**
     * SQL that is true for an identity ({@code alias}) that is not a ghost when it has no profile: an anonymous
     * one (when configured so) or a deleted one.
     */
    public String excludedIdentity(String alias) {
        List<String> parts = new ArrayList<>();
        anonymousColumn.ifPresent(c -> parts.add("coalesce(" + alias + "." + c.quoted() + ", false)"));
        identityDeletedAt.ifPresent(c -> parts.add(alias + "." + c.quoted() + " IS NOT NULL"));
        return parts.isEmpty() ? "false" : "(" + String.join(" OR ", parts) + ")";
    }

    /**
     * This schema with {@code deleted_at} detected: kept when the identity table has the column, dropped when it
     * was only the default ({@code auto}) and the table lacks it. A configured column stays (the preflight names it
     * when missing).
     */
    public TargetSchema resolved(Connection c) throws SQLException {
        if (!identityDeletedAtDetected || identityDeletedAt.isEmpty()) {
            return this;
        }
        try (PreparedStatement st = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute"
                + " WHERE attrelid = pg_catalog.to_regclass(?::text) AND attname = ?::name AND attnum > 0"
                + " AND NOT attisdropped)")) {
            st.setString(1, identityTable.quoted());
            st.setString(2, identityDeletedAt.get().name());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1) ? this : new TargetSchema(identityTable, identityId, identityCreatedAt,
                        anonymousColumn, profileTable, profileId, softDeleteColumn, triggerName, triggerFunction,
                        signupRole, Optional.empty(), true);
            }
        }
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
