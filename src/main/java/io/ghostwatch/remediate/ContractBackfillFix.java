package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.TableContract;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.run.ContractMissing;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.SearchPath;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Step 4 for one contract besides the profile's that the signup path writes: the missing rows, read once when it
 * plans with the very query a check counts them by, inserted in batches with {@code ON CONFLICT DO NOTHING}, each
 * id re-checked (still without a row, still taken by the contract, not deleted) and recorded for the audit. The row
 * gets the identity's id in the key column and the table's defaults elsewhere, or what {@code --columns} names,
 * in the backfill mapping's grammar (never SQL). A declared contract's rows are the application's to write: refused.
 */
final class ContractBackfillFix implements Fix {

    private final TableContract contract;
    private final Optional<ColumnMapping> columns;
    private final boolean deletesSkippedOk;

    ContractBackfillFix(TableContract contract, Optional<ColumnMapping> columns, boolean deletesSkippedOk) {
        this.contract = contract;
        this.columns = columns;
        this.deletesSkippedOk = deletesSkippedOk;
    }

    @Override
    public String action() {
        return "contract";
    }

    private Optional<ContractRows> counted(CheckOutcome outcome) {
        return outcome.evidence().contractRows().stream().filter(r -> r.contract().name().equals(contract.name()))
                .findFirst();
    }

    @Override
    public Plan plan(Settings settings, CheckOutcome before) {
        if (!contract.discovered()) {
            return Plan.refused("the application writes the rows of the declared contract " + contract.name()
                    + " itself, so what they hold is its to decide: repair them through the application"
                    + " (ghostwatch export affected --contract " + contract.name() + " lists the users)");
        }
        Optional<ContractRows> rows = counted(before);
        if (rows.isEmpty()) {
            return Plan.refused("the check did not count the contract " + contract.name());
        }
        if (rows.get().unknown().isPresent()) {
            return Plan.refused("the contract " + contract.name() + " could not be counted: "
                    + rows.get().unknown().get());
        }
        if (rows.get().missing() == 0) {
            return Plan.nothing("no identity lacks its row in " + contract.where() + ": nothing to backfill");
        }
        Optional<String> skipped = SkippedDeletes.refusal(settings, before, deletesSkippedOk,
                "an identity without its row", "ghostwatch export affected --contract " + contract.name());
        if (skipped.isPresent()) {
            return Plan.refused(skipped.get());
        }
        return Plan.of(rows.get().missing(), rows.get().sample(), List.of());
    }

    @Override
    public Optional<List<String>> rows(Connection c, Settings settings) throws SQLException {
        String sql = "SELECT y.id FROM (" + ContractMissing.taken(settings.schema(), contract, "") + ") y"
                + " ORDER BY y.due, y.id";
        List<String> intervals = ContractMissing.intervals(contract, settings.contracts().window());
        return Optional.of(SearchPath.inTransaction(c, () -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setString(1, intervals.get(0));
                st.setString(2, intervals.get(1));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        }));
    }

    @Override
    public BatchWriter writer(Connection c, Settings settings, CheckOutcome before) {
        return IdBatches.statement(sql(settings, Optional.empty()), sql(settings, Optional.of("?")),
                "into " + contract.where() + " with " + columns.map(m -> "the columns " + m.targetList()).orElse(
                        "the identity's id in " + contract.keyColumn() + " and the table's defaults elsewhere"),
                failure -> "23502".equals(failure.getSQLState()) ? Optional.of(contract.where() + " has a column"
                        + " without a default that the row needs: name its value with --columns"
                        + " 'column=source,...' (a source is an identity column, now, notnull:<column> or"
                        + " coalesce_now:<column>)") : Optional.empty());
    }

    /** One batch: the ids still without a row that the contract takes, inserted and (audited) recorded. */
    private String sql(Settings settings, Optional<String> remediationParam) {
        TargetSchema s = settings.schema();
        String iid = s.identityId().quoted();
        String targets = columns.map(ColumnMapping::targetList).orElse(contract.quotedKey());
        String values = columns.map(ColumnMapping::selectList).orElse("i." + iid);
        return "WITH inserted AS (INSERT INTO " + contract.quotedTable() + " (" + targets + ") SELECT " + values
                + " FROM " + s.identityTable().quoted() + " i WHERE i." + iid + " = ANY (?)"
                + " AND coalesce(" + contract.selects().sqlFor("i").orElseThrow() + ", false)"
                + " AND NOT " + s.deletedIdentity("i")
                + " AND NOT EXISTS (SELECT 1 FROM " + contract.quotedTable() + " t WHERE t." + contract.quotedKey()
                + " = i." + iid + ") ON CONFLICT DO NOTHING RETURNING " + contract.quotedKey() + ")"
                + remediationParam.map(r -> IdBatches.recordAndCount(settings, "inserted", contract.quotedKey(), r))
                .orElse(IdBatches.count("inserted"));
    }

    @Override
    public boolean resolved(CheckOutcome after) {
        return counted(after).map(r -> r.unknown().isEmpty() && r.missing() == 0).orElse(false);
    }
}
