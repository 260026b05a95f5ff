package io.ghostwatch.diagnose;

import io.ghostwatch.path.SignupPath;
import io.ghostwatch.roles.LoginSettings;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.Identifier;
import io.ghostwatch.sql.SearchPath;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runbook Steps 2 and 3C made concrete: every known reason signups fail or leave ghosts, read from the catalog
 * in one read-only transaction on every check (ghosts or not: a failing signup leaves none), each a
 * {@link CauseRule} of its own.
 */
public final class Diagnoser {

    /**
     * In the order an operator works through them: whether signups can write at all, the trigger, its shape,
     * then why its function fails or skips rows.
     */
    private static final List<CauseRule> RULES = List.of(new ReadOnlyRule(), new IdentityInsertRule(),
            new TriggerStateRule(), new TriggerShapeRule(), new InsertPrivilegeRule(), new TargetRelationRule(),
            new PathPrivilegeRule(), new PathRowSecurityRule(), new WrittenTableTriggerRule(), new EnumLiteralRule(),
            new SignupValueRule(), new ConversionValueRule(), new ProfileTableRule(), new FunctionColumnRule(),
            new FunctionCallRule(), new RowLevelSecurityRule(), new NotNullColumnRule(), new SearchPathRule(),
            new SwallowedErrorRule(), new GuardedWriteRule(), new UniqueConflictRule(), new BulkLoadRule());

    private final TargetSchema schema;

    public Diagnoser(TargetSchema schema) {
        this.schema = schema;
    }

    public List<Cause> diagnose(Connection c, Snapshot snapshot) throws SQLException {
        return diagnose(c, snapshot, Optional.empty());
    }

    /** The causes, with the signup path the check read (every table it writes is checked too). */
    public List<Cause> diagnose(Connection c, Snapshot snapshot, Optional<SignupPath> path) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        c.setReadOnly(true);
        try {
            SearchPath.pin(c);
            CauseContext ctx = new CauseContext(c, schema, snapshot, SyncFunction.read(c, schema), signup(c), path,
                    PathFunctions.read(c, path));
            List<Cause> causes = new ArrayList<>();
            for (CauseRule rule : RULES) {
                rule.find(ctx, causes);
            }
            return causes;
        } finally {
            c.rollback();
            c.setReadOnly(false);
            c.setAutoCommit(autoCommit);
        }
    }

    private Optional<LoginSettings> signup(Connection c) throws SQLException {
        if (schema.signupRole().isEmpty()) {
            return Optional.empty();
        }
        Identifier role = Identifier.of(schema.signupRole().get());
        try (PreparedStatement st = c.prepareStatement("SELECT pg_catalog.to_regrole(?) IS NOT NULL")) {
            st.setString(1, role.quoted());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(LoginSettings.read(c, role));
    }
}
