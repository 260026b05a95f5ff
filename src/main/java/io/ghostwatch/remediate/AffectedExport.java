package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.history.HistoryStore;
import io.ghostwatch.run.CannotCheckException;
import io.ghostwatch.run.CheckService;
import io.ghostwatch.run.ContractMissing;
import io.ghostwatch.snapshot.TargetSchema;
import io.ghostwatch.sql.SearchPath;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runbook Step 6: the affected users for Customer Success. Either the ghosts now (before a backfill), or the
 * ids a backfill repaired (by remediation or time range), read from the audit trail, so the list survives
 * the backfill. Emails only when the operator asks for them.
 */
@ApplicationScoped
public class AffectedExport {

    /** One affected user. {@code repairedAt} is empty for a current ghost; {@code email} unless opted in. */
    public record Row(String id, Optional<Instant> createdAt, Optional<Instant> repairedAt, Optional<Long> daysAffected,
                      Optional<String> email) {
    }

    /** Which users. */
    public sealed interface Selection {
        record Current() implements Selection {
        }

        record Remediation(UUID id) implements Selection {
        }

        record Since(Instant since) implements Selection {
        }

        /** The identities a contract besides the profile's is missing rows for now (created_at: when due). */
        record Contract(String name) implements Selection {
        }
    }

    @Inject
    HistoryStore store;

    @Inject
    CheckService checks;

    public List<Row> rows(Settings settings, Selection selection, boolean includeEmails) throws SQLException,
            CannotCheckException {
        if (selection instanceof Selection.Contract named) {
            // As a check counts them: the contract's own query, within the contracts' window.
            CheckService.FoundContract found = checks.contract(settings, named.name());
            String sql = "SELECT y.id, y.due, NULL::timestamptz, now(), y.extra FROM (" + ContractMissing.taken(
                    found.settings().schema(), found.contract(), includeEmails ? "i."
                            + settings.notifications().emailColumn().quoted() : "NULL::text") + ") y ORDER BY 2, 1";
            return read(sql, List.copyOf(ContractMissing.intervals(found.contract(), settings.contracts().window())));
        }
        TargetSchema s;
        try (Connection c = store.connect()) {
            s = settings.schema().resolved(c);
        }
        String email = includeEmails ? ", i." + settings.notifications().emailColumn().quoted() : ", NULL";
        if (selection instanceof Selection.Current) {
            return read("SELECT i." + s.identityId().quoted() + "::text, i." + s.identityCreatedAt().quoted()
                    + "::timestamptz, NULL::timestamptz, now()" + email + " FROM " + s.identityRows().quoted() + " i"
                    + " WHERE NOT EXISTS (SELECT 1 FROM " + s.profileTable().quoted() + " p WHERE p."
                    + s.profileId().quoted() + " = i." + s.identityId().quoted() + ")"
                    + " AND NOT " + s.excludedIdentity("i")
                    + " ORDER BY 2 NULLS FIRST, 1", List.of());
        }
        String sql = "SELECT r.user_id, i." + s.identityCreatedAt().quoted() + "::timestamptz, r.repaired_at,"
                + " r.repaired_at" + email + " FROM " + settings.history().table("remediated_ids") + " r JOIN "
                + settings.history().table("remediations") + " m ON m.id = r.remediation_id LEFT JOIN "
                + s.identityRows().quoted() + " i ON i." + s.identityId().quoted() + "::text = r.user_id"
                + " WHERE m.target = ? AND m.action = 'backfill' AND "
                + (selection instanceof Selection.Remediation ? "m.id = ?" : "r.repaired_at >= ?")
                + " ORDER BY 2 NULLS FIRST, 1";
        return read(sql, List.of(settings.target(), selection instanceof Selection.Remediation r ? r.id()
                : Timestamp.from(((Selection.Since) selection).since())));
    }

    /**
     * Rows of {@code (id, created or due, repaired, affected until, email)} read in a read-only transaction with
     * the search_path pinned.
     */
    private List<Row> read(String sql, List<Object> params) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = store.connect()) {
            c.setReadOnly(true);
            SearchPath.begin(c);
            try (PreparedStatement st = c.prepareStatement(sql)) {
                for (int i = 0; i < params.size(); i++) {
                    st.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Optional<Instant> created = instant(rs, 2);
                        Optional<Instant> until = instant(rs, 4);
                        Optional<Long> days = created.flatMap(cr -> until.map(u -> Duration.between(cr, u).toDays()));
                        rows.add(new Row(rs.getString(1), created, instant(rs, 3), days,
                                Optional.ofNullable(rs.getString(5))));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                c.setReadOnly(false);
            }
        }
        return rows;
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
    }
}
