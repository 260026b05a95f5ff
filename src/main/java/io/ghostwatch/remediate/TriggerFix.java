package io.ghostwatch.remediate;

import io.ghostwatch.sql.Sql;
import io.ghostwatch.config.Settings;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.snapshot.TriggerState;
import io.ghostwatch.sql.SqlText;
import io.ghostwatch.throttle.Throttle;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runbook Steps 3A and 3B: make the sync trigger fire again. A disabled or replica-only trigger is enabled with
 * the exact statement; a persisted replica setting is reset; a missing trigger is recreated only from the
 * migration file the operator names, and kept only if a trigger of the configured name then fires on the
 * configured table. ghostwatch never invents a function body.
 */
final class TriggerFix implements Fix {

    private final Optional<Path> migration;
    private final Optional<String> migrationSql;

    TriggerFix(Optional<Path> migration, Optional<String> migrationSql) {
        this.migration = migration;
        this.migrationSql = migrationSql;
    }

    @Override
    public String action() {
        return "trigger";
    }

    @Override
    public Plan plan(Settings settings, CheckOutcome outcome) {
        Snapshot before = outcome.snapshot();
        TriggerState t = before.trigger();
        TargetSchema s = settings.schema();
        if (t.fires()) {
            return Plan.nothing("the sync trigger " + s.triggerName() + " on " + s.identityTable()
                    + " already fires: nothing to fix (ghosts, if any, need `ghostwatch fix backfill`)");
        }
        if (!t.present()) {
            if (migration.isEmpty()) {
                return Plan.refused("the sync trigger " + s.triggerName() + " does not exist on " + s.identityTable()
                        + ": runbook Step 3B re-runs the migration that creates it (e.g."
                        + " supabase/migrations/20260127000001_create_user_sync_trigger.sql); pass it with"
                        + " --from-file <migration.sql>");
            }
            Optional<String> control = migrationSql.flatMap(SqlText::transactionControl);
            if (control.isPresent()) {
                // Its COMMIT would end ghostwatch's transaction: what it did could no longer be rolled back.
                return Plan.refused("the migration " + migration.get() + " controls its own transaction (it has a"
                        + " top-level " + control.get() + "): ghostwatch runs the file in one transaction that it"
                        + " rolls back unless " + s.triggerName() + " then fires on " + s.identityTable()
                        + "; remove its BEGIN/COMMIT, or run it yourself with psql");
            }
            return Plan.of(0, List.of(), List.of("-- " + migration.get() + " (in one transaction, kept only if "
                    + s.triggerName() + " then fires on " + s.identityTable() + ")\n" + migrationSql.orElse("")));
        }
        List<String> statements = new ArrayList<>();
        if (!t.enabledInCatalog()) {
            statements.add(enable(s));
        }
        for (TriggerState.ReplicaOverride o : t.replicaOverrides()) {
            if (o.undo().startsWith("ALTER SYSTEM")) {
                return Plan.refused("session_replication_role = replica is set in the server configuration:"
                        + " ALTER SYSTEM cannot run in a transaction; a superuser must run: " + o.undo());
            }
            statements.add(o.undo());
        }
        return Plan.of(0, List.of(), statements);
    }

    /** This transaction's id (assigned now if it had none): a different one later means it ended. */
    private static long transactionId(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_current_xact_id()::text::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String enable(TargetSchema s) {
        return "ALTER TABLE " + s.identityTable().quoted() + " ENABLE TRIGGER " + s.triggerName().quoted();
    }

    @Override
    public long apply(Connection c, Settings settings, Plan plan, UUID remediationId, Audit audit,
                      Progress progress, Throttle throttle) throws SQLException {
        Transactions.begin(c, settings);
        try (Statement st = c.createStatement()) {
            if (migrationSql.isPresent() && plan.statements().size() == 1
                    && plan.statements().get(0).startsWith("-- ")) {
                // The operator's own migration runs with the search_path a psql session of this role would have;
                // ghostwatch's queries after it go back to pg_catalog alone.
                long xact = transactionId(st);
                st.execute("SET LOCAL search_path TO DEFAULT");
                st.execute(migrationSql.get());
                if (transactionId(st) != xact) {
                    // Refused in the plan already; should a file still end the transaction, say what stays.
                    throw new SQLException("the migration " + migration.orElseThrow() + " ended ghostwatch's"
                            + " transaction itself: what it did before that was committed and stays; check "
                            + settings.schema().identityTable() + " and the trigger by hand", "GW001");
                }
                st.execute("SET LOCAL search_path = pg_catalog, pg_temp");
                if (!firesOnConfiguredTable(c, settings.schema())) {
                    c.rollback();
                    throw new SQLException("the migration " + migration.orElseThrow() + " did not leave a trigger "
                            + settings.schema().triggerName() + " enabled on " + settings.schema().identityTable()
                            + "; it was rolled back and nothing changed", "GW001");
                }
            } else {
                for (String sql : plan.statements()) {
                    st.execute(sql);
                }
            }
            c.commit();
            return 0;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private static boolean firesOnConfiguredTable(Connection c, TargetSchema s) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(Sql.byName("SELECT count(*) FROM pg_trigger WHERE tgname = ?"
                + " AND tgrelid = pg_catalog.to_regclass(?) AND tgenabled IN ('O', 'A') AND NOT tgisinternal"))) {
            st.setString(1, s.triggerName().name());
            st.setString(2, s.identityTable().quoted());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        }
    }

    @Override
    public boolean resolved(CheckOutcome after) {
        return after.snapshot().trigger().fires();
    }
}
