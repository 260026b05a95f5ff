package io.ghostwatch.snapshot;

import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.QualifiedName;

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
        Optional<String> signupRole) {

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
