package io.ghostwatch.remediate;

import io.ghostwatch.config.Settings;
import io.ghostwatch.history.HistoryException;
import io.ghostwatch.history.HistoryStore;
import io.ghostwatch.judge.Finding;
import io.ghostwatch.run.CannotCheckException;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.run.CheckService;
import io.ghostwatch.pooler.PoolerProbe;
import io.ghostwatch.run.DatabaseErrors;
import io.ghostwatch.snapshot.Snapshot;
import io.ghostwatch.sql.SearchPath;
import io.ghostwatch.sql.Sql;
import io.ghostwatch.throttle.Throttle;
import io.ghostwatch.throttle.ThrottleSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.postgresql.PGConnection;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The guard rails every fix shares: dry run unless applying; a reason; a row limit; one fix per target at a
 * time (advisory lock); an audit row with before and after; and Step 5's verification by a fresh check.
 * Exit codes: 0 done (or nothing to do, or a dry run), 1 applied but the findings it owns remain, 2 refused or
 * failed (nothing changed, or only committed batches, which a rerun completes).
 */
@ApplicationScoped
public class RemediationService {

    /** What the operator asked for. */
    public record Options(boolean apply, Optional<String> reason, long maxRows, ThrottleSettings throttle) {
    }

    @Inject
    CheckService checks;

    @Inject
    HistoryStore history;

    /** Steps 3A/3B; {@code migration} and its text only for a missing trigger. */
    public int trigger(Settings settings, Optional<java.nio.file.Path> migration, Optional<String> migrationSql,
                       Options options, PrintWriter out, PrintWriter err) {
        return run(settings, new TriggerFix(migration, migrationSql), options, out, err);
    }

    /**
     * Step 4; {@code triggerNotFiringOk}: the operator backfills before Step 3A on purpose; {@code deletesSkippedOk}:
     * the ghosts were reviewed although deletes of identities can be skipped.
     */
    public int backfill(Settings settings, boolean triggerNotFiringOk, boolean deletesSkippedOk, Options options,
                        PrintWriter out, PrintWriter err) {
        return run(settings, new BackfillFix(triggerNotFiringOk, deletesSkippedOk), options, out, err);
    }

    /**
     * Step 4 for one contract besides the profile's ({@code name} as the report names it), counted whatever
     * ghostwatch.contracts.discovered says; {@code columns} fills the row's other columns (the backfill mapping's
     * grammar), else the table's defaults do.
     */
    public int contractBackfill(Settings configured, String name, Optional<String> columns, boolean deletesSkippedOk,
                                Options options, PrintWriter out, PrintWriter err) {
        Settings counting = configured.withContracts(new io.ghostwatch.path.ContractSettings(
                configured.contracts().declared(), configured.contracts().window(),
                io.ghostwatch.path.ContractSettings.Discovered.COUNT));
        CheckService.FoundContract found;
        try {
            found = checks.contract(counting, name);
        } catch (CannotCheckException e) {
            return fail(err, e.getMessage() + "; nothing was changed");
        }
        Optional<ColumnMapping> mapping;
        try {
            mapping = columns.map(text -> ColumnMapping.keyed(text, io.ghostwatch.sql.Identifier.of(
                    found.contract().keyColumn()), found.settings().schema().identityId()));
        } catch (IllegalArgumentException e) {
            return fail(err, "--columns: " + e.getMessage() + "; nothing was changed");
        }
        return run(counting, new ContractBackfillFix(found.contract(), mapping, deletesSkippedOk), options, out,
                err);
    }

    /** Scenario 4; {@code confirmedIntentional} is the operator's answer to the runbook's question. */
    public int orphans(Settings settings, boolean confirmedIntentional, Options options, PrintWriter out,
                       PrintWriter err) {
        return run(settings, new OrphanFix(confirmedIntentional), options, out, err);
    }

    private int run(Settings configured, Fix fix, Options options, PrintWriter out, PrintWriter err) {
        CheckOutcome before;
        // Refused before anything is read or printed: an --apply that cannot be audited does not start.
        if (options.apply() && options.reason().filter(r -> !r.isBlank()).isEmpty()) {
            return fail(err, "--apply needs --reason \"...\": it goes into the audit trail (runbook"
                    + " log_cleanup_job); nothing was changed");
        }
        if (options.apply() && !configured.history().enabled()) {
            return fail(err, "--apply needs the history schema for its audit trail; set"
                    + " ghostwatch.history.enabled=true; nothing was changed");
        }
        Settings settings;
        try {
            CheckService.Resolved resolved = checks.resolvedExactCheck(configured);
            settings = resolved.settings();
            before = resolved.outcome();
        } catch (CannotCheckException e) {
            return fail(err, "cannot check target " + configured.target() + ": " + e.getMessage());
        }
        Plan plan = fix.plan(settings, before);
        out.printf("ghostwatch fix %s: target %s (%s)%n", fix.action(), settings.target(), before.database());
        out.println("before: " + counts(before.snapshot()));
        if (plan.refusal().isPresent()) {
            out.flush();
            return fail(err, "refused: " + plan.refusal().get());
        }
        Optional<SQLException> trialFailure = Optional.empty();
        long trialChanged = 0;
        long violating = 0;
        try (Connection c = history.connect()) {
            c.setAutoCommit(true);
            plan = plan.nothingToDo().isPresent() ? plan : exactRows(c, settings, fix, plan, before);
            if (plan.writer().isPresent()) {
                try {
                    trialChanged = IdBatches.trial(c, settings, plan.writer().get(), plan.ids(), trialRows(settings));
                } catch (SQLException e) {
                    trialFailure = Optional.of(e);
                    if (IdBatches.integrityViolation(e)) {
                        violating = IdBatches.violations(c, settings, plan.writer().get(), plan.ids(),
                                trialRows(settings));
                    }
                }
            }
        } catch (SQLException e) {
            out.flush();
            return fail(err, DatabaseErrors.explain(e, checks.location(), settings) + "; nothing was changed");
        }
        if (plan.nothingToDo().isPresent()) {
            out.println(plan.nothingToDo().get());
            out.flush();
            return 0;
        }
        if (plan.rows() == 0 && plan.sampleIds().isEmpty()) {
            // A trigger fix changes no rows: say what it would do, never "0 rows", which reads as "nothing to do".
            out.println("would run these statements (they change the trigger and settings, not rows):");
        } else {
            out.printf(Locale.ROOT, "would change %,d rows%s%n", plan.rows(),
                    plan.sampleIds().isEmpty() ? "" : "; sample ids: " + String.join(", ", plan.sampleIds()));
            plan.writer().ifPresent(w -> out.println("written " + w.how()));
            out.println("SQL, per batch:");
        }
        plan.statements().forEach(s -> out.println("  " + s + ";"));
        int tried = Math.min(trialRows(settings), plan.ids().size());
        if (trialFailure.isPresent()) {
            out.flush();
            String rows = violating > 0 ? " (" + violating + " of those " + tried + " rows violate it, each tried"
                    + " alone)" : "";
            return fail(err, "refused: a trial of the first " + tried + " rows, rolled back, failed, so the plan"
                    + " cannot apply: " + explainTrial(trialFailure.get(), settings, plan) + rows
                    + "; nothing was changed");
        }
        if (plan.writer().isPresent()) {
            out.printf(Locale.ROOT, "trial: the first %,d rows written in a transaction that was rolled back:"
                    + " %,d changed%s%n", tried, trialChanged, trialChanged < tried ? " (the others were left as"
                    + " they are: repaired meanwhile, or skipped by the sync function)" : "");
        }
        out.flush();
        if (plan.rows() > options.maxRows()) {
            return fail(err, String.format(Locale.ROOT, "refused: this would change %,d rows, more than --max-rows"
                    + " %,d; check the numbers, then raise --max-rows if they are expected", plan.rows(),
                    options.maxRows()));
        }
        if (!options.apply()) {
            out.println("DRY RUN: nothing was changed. Apply with --apply --reason \"<why, for the audit>\".");
            out.flush();
            return 0;
        }
        try {
            history.migrate(settings.history());
        } catch (HistoryException e) {
            return fail(err, "no audit trail, so nothing was changed: " + e.getMessage());
        }
        return applyLocked(settings, fix, plan, before, options, out, err);
    }

    /**
     * The plan for exactly the rows the fix would write now: the guards, the dry run and the confirmation judge
     * this count, and the fix writes these rows and no others (issue: a count from the snapshot let a fix write
     * rows that turned up after it was confirmed).
     */
    private static Plan exactRows(Connection c, Settings settings, Fix fix, Plan plan, CheckOutcome before)
            throws SQLException {
        Optional<List<String>> rows = fix.rows(c, settings);
        if (rows.isEmpty()) {
            return plan;
        }
        if (rows.get().isEmpty()) {
            return Plan.nothing("nothing left to " + fix.action() + ": the rows the check counted were"
                    + " repaired before the fix read them");
        }
        return plan.forRows(rows.get(), SearchPath.inTransaction(c, () -> fix.writer(c, settings, before)));
    }

    /** The dry run's proof: the first batch, at most 100 rows, written and rolled back. */
    private static int trialRows(Settings settings) {
        return Math.min(settings.remediation().batchSize(), 100);
    }

    /** Why the trial failed, in one line that names the setting to change where one is to blame. */
    private String explainTrial(SQLException e, Settings settings, Plan plan) {
        return explain(e, settings, plan) + plan.writer().flatMap(w -> w.hint(e)).map(h -> " (" + h + ")")
                .orElse("");
    }

    private int applyLocked(Settings settings, Fix fix, Plan plan, CheckOutcome before, Options options,
                            PrintWriter out, PrintWriter err) {
        Audit audit = new Audit(settings.history());
        UUID id = UUID.randomUUID();
        long rows;
        try (Connection c = history.connect()) {
            c.setAutoCommit(true);
            Optional<FixLock> lock = FixLock.tryAcquire(history::connect, settings.target());
            if (lock.isEmpty()) {
                return fail(err, "another ghostwatch fix is running on target " + settings.target() + " ("
                        + FixLock.holder(c, settings.target()).orElse("holder unknown")
                        + "); wait for it to finish, then check again");
            }
            int prepareThreshold = c.unwrap(PGConnection.class).getPrepareThreshold();
            try (FixLock held = lock.get()) {
                preparedOnTheServer(c);
                Progress progress = new Progress(err, fix.action(), plan.rows());
                try (StopSignals stop = StopSignals.install();
                     CommitWatch commits = CommitWatch.start(options.throttle(), plan, history::connect, stop,
                             why -> progress.waiting(0, why))) {
                    audit.closeInterrupted(c, settings.target());
                    audit.start(c, id, settings.target(), fix.action(), options.reason().orElseThrow(),
                            before.snapshot(), String.join(";\n", plan.statements()));
                    Throttle throttle = new Throttle(options.throttle(), stop, Throttle.SYSTEM, commits.probe());
                    rows = fix.apply(c, settings, plan, id, audit, progress, throttle);
                } catch (InterruptedFixException e) {
                    c.setAutoCommit(true);
                    audit.interrupted(c, id, e.committed());
                    out.flush();
                    return fail(err, String.format(Locale.ROOT, "stopped on request after %,d rows (remediation %s):"
                            + " they are committed and stay; rerun the same command to complete", e.committed(), id));
                } catch (SQLException e) {
                    c.setAutoCommit(true);
                    long committed = e instanceof PartialFixException p ? p.committed() : 0;
                    String why = explain(e, settings, plan);
                    audit.finish(c, id, committed, null, why);
                    return fail(err, why + (committed > 0 ? String.format(Locale.ROOT, "; %,d rows were committed"
                            + " before the failure and stay; rerun to complete", committed) : "; nothing changed"));
                }
                c.setAutoCommit(true);
                CheckOutcome after = checks.exactCheck(settings);
                audit.finish(c, id, rows, after.snapshot(), null);
                return report(fix, plan, rows, id, before, after, out);
            } finally {
                c.setAutoCommit(true);
                c.unwrap(PGConnection.class).setPrepareThreshold(prepareThreshold); // the pool's connection as it was
            }
        } catch (SQLException e) {
            return fail(err, DatabaseErrors.explain(e, checks.location(), settings));
        } catch (CannotCheckException e) {
            return fail(err, "applied, but the verifying check failed: " + e.getMessage());
        }
    }

    /**
     * A fix runs one statement per batch, hundreds of times: prepared once on the server it is neither parsed nor
     * planned again, which the backfill benchmark measured at 9-24% more rows per second. Only on a connection
     * that keeps its server session (PoolerProbe): through a pooler in transaction mode a prepared statement would
     * be left on a session another client gets next, so there every statement stays unnamed (prepareThreshold=0).
     */
    private void preparedOnTheServer(Connection c) throws SQLException {
        if (PoolerProbe.probe(history::connect).sessionKept()) {
            c.unwrap(PGConnection.class).setPrepareThreshold(SERVER_PREPARE_AFTER);
        }
    }

    /** The driver's default: a statement is prepared on the server from its fifth run. */
    private static final int SERVER_PREPARE_AFTER = 5;

    private static int report(Fix fix, Plan plan, long rows, UUID id, CheckOutcome before, CheckOutcome after,
                              PrintWriter out) {
        out.printf(Locale.ROOT, "applied: %,d rows changed (remediation %s)%n", rows, id);
        out.println("after:  " + counts(after.snapshot()));
        out.println("priority: " + before.verdict().priority() + " -> " + after.verdict().priority());
        boolean resolved = fix.resolved(after);
        if (resolved) {
            out.println("verified: the findings this fix owns are gone.");
        } else {
            out.printf(Locale.ROOT, "NOT resolved; this fix wrote only the %,d rows it planned and was confirmed"
                    + " for: what turned up since needs a new plan (run the command again). Still open:%n",
                    plan.rows());
        }
        for (Finding f : after.verdict().findings()) {
            out.println("  [" + f.priority() + "] " + f.code() + ": " + f.summary());
        }
        out.flush();
        return resolved ? 0 : 1;
    }

    static String counts(Snapshot s) {
        return String.format(Locale.ROOT, "identities %,d, profiles %,d, ghosts %,d, orphans %,d, trigger %s",
                s.identities(), s.profiles(), s.ghosts().total(), s.orphans().unhandled(),
                s.trigger().fires() ? "firing" : s.trigger().tgenabled().map(t -> "not firing (" + t + ")")
                        .orElse("missing"));
    }

    /** A failed write as one line naming what is missing: usually a grant or the table's ownership. */
    private String explain(SQLException e, Settings settings, Plan plan) {
        SQLException root = e.getCause() instanceof SQLException s ? s : e;
        String state = root.getSQLState() == null ? "" : root.getSQLState();
        String message = Sql.firstLine(root);
        if ("GW001".equals(state)) {
            return message;
        }
        if ("42501".equals(state)) {
            if (message.startsWith("must be owner")) {
                return "the role cannot run this (" + message + "): only the table's owner or a superuser may;"
                        + " run the fix as that role, or have it run: " + String.join("; ", plan.statements());
            }
            return "permission denied (" + message + "): grant the role what this fix needs (README: Least"
                    + " privilege), e.g. INSERT on " + settings.schema().profileTable() + " for a backfill, UPDATE ("
                    + settings.schema().softDeleteColumn().map(Object::toString).orElse("deleted_at")
                    + ") for orphans";
        }
        return DatabaseErrors.explain(e, checks.location(), settings);
    }

    private static int fail(PrintWriter err, String message) {
        err.println("ghostwatch: " + message);
        err.flush();
        return 2;
    }
}
