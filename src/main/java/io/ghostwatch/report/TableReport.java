package io.ghostwatch.report;

import io.ghostwatch.judge.CheckRow;
import io.ghostwatch.judge.Durations;
import io.ghostwatch.judge.Finding;
import io.ghostwatch.path.ContractRows;
import io.ghostwatch.path.ContractSelection;
import io.ghostwatch.path.TableContract;
import io.ghostwatch.path.ProfileContract;
import io.ghostwatch.judge.Priority;
import io.ghostwatch.judge.SignupsBlockedCheck;
import io.ghostwatch.run.CheckOutcome;
import io.ghostwatch.signups.Blocker;
import io.ghostwatch.signups.SignupActivity;
import io.ghostwatch.snapshot.GhostWindow;
import io.ghostwatch.snapshot.Ghosts;

import java.util.List;
import java.util.Locale;

/**
 * The human report: the runbook's {@code run_user_sync_quality_check()} table, then the priority, the findings
 * with the runbook step and exact statements, and a sample of ghost ids (never emails).
 */
public final class TableReport {

    private static final String[] HEADERS = {"check_name", "passed", "issue_count", "severity", "message"};

    private TableReport() {
    }

    public static String render(CheckOutcome outcome) {
        StringBuilder out = new StringBuilder();
        out.append("ghostwatch check: target ").append(outcome.target()).append(" (").append(outcome.database())
                .append(") at ").append(outcome.snapshot().databaseTime()).append("\n\n");
        table(out, outcome.verdict().rows());
        Priority p = outcome.verdict().priority();
        out.append("\nPriority: ").append(p).append(" (").append(p.response()).append(")\n");

        List<Finding> findings = outcome.verdict().findings();
        if (!findings.isEmpty()) {
            out.append("\nFindings and next steps:\n");
            for (Finding f : findings) {
                out.append("  [").append(f.priority() == Priority.OK ? "note" : f.priority().name()).append("] ")
                        .append(f.code()).append(" (runbook ").append(f.runbookStep()).append(")\n")
                        .append("      ").append(f.summary()).append('\n');
                for (String action : f.actions()) {
                    out.append("      - ").append(action).append('\n');
                }
            }
        }
        contract(out, outcome);
        List<Ghosts.GhostRow> sample = outcome.snapshot().ghosts().sample();
        if (!sample.isEmpty()) {
            out.append("\nGhost sample (newest first, ").append(sample.size()).append(" of ")
                    .append(outcome.snapshot().ghosts().total()).append("):\n");
            for (Ghosts.GhostRow row : sample) {
                out.append("  ").append(row.id()).append("  created ")
                        .append(row.createdAt().map(t -> t + " ("
                                + Durations.human(java.time.Duration.between(t, outcome.snapshot().databaseTime()))
                                + " ago)").orElse("unknown (created_at is NULL)"))
                        .append('\n');
            }
        }
        window(out, outcome);
        signups(out, outcome);
        out.append("\nScan: ").append(outcome.snapshot().scan().kind()).append(outcome.snapshot().scan().full()
                ? " (" : " (numbers of the full scan at " + outcome.snapshot().scan().lastFullScanAt()
                .map(Object::toString).orElse("?") + ": ").append(outcome.snapshot().scan().reason()).append(").");
        out.append("\nDatabase work took ").append(outcome.snapshot().elapsed().toMillis()).append(" ms.\n");
        return out.toString();
    }

    /** The profile contract, when the signup path narrows it (or would, and cannot say how). */
    private static void contract(StringBuilder out, CheckOutcome outcome) {
        outcome.evidence().contract().flatMap(ProfileContract::syncTrigger).ifPresent(t -> out.append(
                "\nSync trigger: ").append(t).append(" (it writes the profile table on the signup path; no trigger of"
                + " the configured name, ghostwatch.trigger.name, is on the identity table).\n"));
        outcome.evidence().contract().filter(ProfileContract::applied).ifPresent(c -> {
            ContractSelection s = c.selection().orElseThrow();
            out.append("\nProfile contract: every identity where ").append(s.condition().text())
                    .append(" has a row in ").append(c.table()).append(c.rememberedFrom().map(t -> " (as the signup"
                            + " path had it at " + t + "; nothing on it writes the table now: ").orElse(
                            " (the signup path: "))
                    .append(String.join(", ", s.triggers())).append(s.agedFrom().map(a -> "; ghosts aged from " + a)
                    .orElse("")).append("); ").append(outcome.snapshot().ghosts().anonymousExcluded())
                    .append(" without one are left out by design.\n");
        });
        contracts(out, outcome.evidence().contractRows());
    }

    /** Each contract besides the profile's, one line: its table and key, and its missing rows or why unknown. */
    private static void contracts(StringBuilder out, List<ContractRows> rows) {
        if (rows.isEmpty()) {
            return;
        }
        out.append("\nContracts besides the profile's:\n");
        for (ContractRows r : rows) {
            TableContract t = r.contract();
            out.append("  ").append(t.name()).append(t.discovered() ? " (signup path" : " (declared").append("): ")
                    .append(t.where()).append(" keyed by ").append(t.keyColumn())
                    .append(t.selects().always() ? "" : " where " + t.selects().text()).append(" - ")
                    .append(r.unknown().map(u -> "unknown: " + u).orElse(r.missing() + " missing"
                            + (r.carried() ? " (carried from " + r.tally().map(k -> k.countedAt().toString())
                            .orElse("?") + ")" : ""))).append('\n');
        }
    }

    /** What the database counted of signups since the last check; and who holds them up, if anyone. */
    private static void signups(StringBuilder out, CheckOutcome outcome) {
        out.append("\nSignups: ");
        if (outcome.evidence().signups().isEmpty()) {
            out.append("not counted (history is off, so there is no earlier check to count from)\n");
        } else {
            SignupActivity a = outcome.evidence().signups().get();
            if (a.counted()) {
                out.append(a.counts());
            } else {
                out.append(a.attempted() > 0 ? "attempted " + a.attempted() + ", " : "").append("not split: ")
                        .append(a.unknown().get());
            }
            out.append('\n');
            out.append("  last committed signup seen: ").append(a.lastCommitSeenAt()
                    .map(t -> "by the check at " + t).orElse("none since counting began at " + a.countingSince()))
                    .append("; rolled back since: ").append(a.rolledBackSinceCommit()).append('\n');
        }
        for (Blocker b : outcome.evidence().blockers()) {
            out.append("  lock held against signups: ").append(SignupsBlockedCheck.describe(b)).append('\n');
        }
        // Every outcome, the good one too: a canary that worked is the best evidence that signups do.
        outcome.canary().ifPresent(c -> out.append("  signup canary: ").append(c.outcome().name()
                .toLowerCase(Locale.ROOT)).append(" (").append(c.detail()).append(")\n"));
    }

    /** Step 6's numbers for the incident write-up. */
    private static void window(StringBuilder out, CheckOutcome outcome) {
        GhostWindow w = outcome.snapshot().window();
        if (outcome.snapshot().ghosts().total() == 0) {
            return;
        }
        out.append("\nIncident window (runbook Step 6):\n");
        out.append("  first ghost created ").append(w.first().map(Object::toString).orElse("unknown"))
                .append(", last ").append(w.last().map(Object::toString).orElse("unknown")).append('\n');
        out.append("  created while the trigger was not firing: ").append(w.whileTriggerNotFiring().isPresent()
                ? w.whileTriggerNotFiring().getAsLong() + " (from the recorded checks)"
                : "unknown (no history of earlier checks)").append('\n');
        if (w.bulk().isEmpty()) {
            out.append("  bulk loads: unknown (the monitoring role may not read xmin: GRANT SELECT (xmin) ON the"
                    + " identity table)\n");
        } else if (w.bulk().get().transactions() > 0) {
            out.append("  bulk loads: ").append(w.bulk().get().rows()).append(" ghosts in ")
                    .append(w.bulk().get().transactions())
                    .append(w.bulk().get().transactions() == 1 ? " transaction\n" : " transactions\n");
        }
        out.append("  ghosts per hour:");
        w.perHour().forEach(h -> out.append("\n    ").append(h.hour()).append("  ").append(h.ghosts()));
        out.append('\n');
    }

    private static void table(StringBuilder out, List<CheckRow> rows) {
        String[][] cells = new String[rows.size()][];
        int[] width = new int[HEADERS.length];
        for (int c = 0; c < HEADERS.length; c++) {
            width[c] = HEADERS[c].length();
        }
        for (int r = 0; r < rows.size(); r++) {
            CheckRow row = rows.get(r);
            cells[r] = new String[] {row.checkName(), row.passed() ? "t" : "f", Long.toString(row.issueCount()),
                    row.severity(), row.message()};
            for (int c = 0; c < HEADERS.length; c++) {
                width[c] = Math.max(width[c], cells[r][c].length());
            }
        }
        line(out, HEADERS, width);
        for (int c = 0; c < HEADERS.length; c++) {
            out.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        }
        out.append('\n');
        for (String[] row : cells) {
            line(out, row, width);
        }
    }

    private static void line(StringBuilder out, String[] cells, int[] width) {
        for (int c = 0; c < cells.length; c++) {
            out.append(c == 0 ? "" : " | ");
            out.append(c == cells.length - 1 ? cells[c] : String.format("%-" + width[c] + "s", cells[c]));
        }
        out.append('\n');
    }
}
