package io.ghostwatch.judge;

import io.ghostwatch.signups.Blocker;
import io.ghostwatch.snapshot.TargetSchema;

import java.util.ArrayList;
import java.util.List;

/**
 * Sessions holding a lock that every signup's INSERT waits for: P0 once held for the policy's time or when a
 * session already waits on it (signups queue behind it and then time out). The fix is printed, never run.
 */
public final class SignupsBlockedCheck implements FindingRule {

    @Override
    public List<Finding> findings(Evidence evidence, Policy policy, TargetSchema schema) {
        List<Blocker> blocking = blocking(evidence, policy);
        if (blocking.isEmpty()) {
            return List.of();
        }
        List<String> actions = new ArrayList<>();
        for (Blocker b : blocking) {
            actions.add(b.fix() + (b.granted() ? "  -- ends pid " + b.pid() + " and rolls its transaction back"
                    : "  -- cancels pid " + b.pid() + "'s waiting statement, which frees the queue behind it;"
                    + " retry the migration with SET lock_timeout"));
        }
        actions.add("Then find why it was left open (a migration or console session idle in its transaction) and"
                + " set idle_in_transaction_session_timeout for that role.");
        return List.of(new Finding(FindingCode.SIGNUPS_BLOCKED, Priority.P0, "Step 3C", "Signups are blocked: "
                + String.join("; ", blocking.stream().map(SignupsBlockedCheck::describe).toList())
                + ". Every signup waits for it, then times out.", actions));
    }

    /** The sessions that block signups: holding the lock long enough, or already making someone wait. */
    public static List<Blocker> blocking(Evidence evidence, Policy policy) {
        return evidence.blockers().stream().filter(b -> b.waiting() > 0
                || b.held().map(h -> h.compareTo(policy.blockedAfter()) >= 0).orElse(true)).toList();
    }

    /** One line naming the session, for reports and error messages. */
    public static String describe(Blocker b) {
        StringBuilder s = new StringBuilder("pid ").append(b.pid()).append(" (user ")
                .append(b.user().orElse("unknown")).append(", application ").append(b.application().orElse("unknown"))
                .append(", ")
                .append(b.state().orElse("state unknown: the monitoring role needs pg_read_all_stats"));
        if (b.granted()) {
            b.held().ifPresent(h -> s.append(", transaction open ").append(Durations.human(h)));
            s.append(") holds ").append(b.mode()).append(" on ").append(b.table());
        } else {
            b.held().ifPresent(h -> s.append(", waiting ").append(Durations.human(h)));
            s.append(") waits for ").append(b.mode()).append(" on ").append(b.table());
            if (!b.waitsFor().isEmpty()) {
                s.append(" behind pid ").append(String.join(", ", b.waitsFor().stream().map(String::valueOf)
                        .toList()));
            }
            s.append(", and every signup queues behind it");
        }
        b.query().ifPresent(q -> s.append(": ").append(q));
        if (b.waiting() > 0) {
            s.append("; ").append(b.waiting()).append(b.waiting() == 1 ? " session waits" : " sessions wait")
                    .append(" on it");
        }
        return s.toString();
    }
}
