package io.ghostwatch.diagnose;

import io.ghostwatch.path.SignupPath;
import io.ghostwatch.roles.LoginSettings;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;

import java.sql.Connection;
import java.util.Optional;

/**
 * What every rule may consult: the connection (inside a read-only transaction), the configured names, the
 * snapshot just read, the sync function as the catalog shows it, and the signup role's login settings.
 *
 * @param function empty when no trigger of the configured name sits on the identity table
 * @param signup   empty when no signup role is configured or it does not exist
 * @param path     the signup path as the check read it; empty when it was not read
 * @param functions the text of the path's functions, read once for every rule
 */
record CauseContext(Connection connection, TargetSchema schema, Snapshot snapshot, Optional<SyncFunction> function,
                    Optional<LoginSettings> signup, Optional<SignupPath> path, PathFunctions functions) {

    /**
     * The role a profile insert runs as: the function's owner when it is SECURITY DEFINER, else whoever signs
     * up. Empty when that is the signup role and none is known.
     */
    Optional<String> inserter() {
        return function.flatMap(f -> f.securityDefiner() ? Optional.of(f.owner()) : signup.map(LoginSettings::role));
    }

    /** The sync trigger's own profile insert, which the profile's rules judge rather than the path's. */
    boolean syncProfileInsert(io.ghostwatch.path.PathWrite w) {
        return w.trigger().equals(schema.triggerName().name())
                && w.writes(schema.profileTable().schema().name(), schema.profileTable().name().name());
    }

    /** The role a write of the path runs as: its SECURITY DEFINER owner, else whoever signs up (when known). */
    Optional<String> writer(io.ghostwatch.path.PathWrite w) {
        return w.runsAs().or(() -> signup.map(LoginSettings::role));
    }

    /** The sync function when it is PL/pgSQL, the language the text rules can read. */
    Optional<SyncFunction> plpgsql() {
        return function.filter(SyncFunction::plpgsql);
    }
}
