package io.ghostwatch.judge;

import java.util.List;

/**
 * Something a run found, with the runbook step that handles it.
 *
 * @param code        stable machine name, one of {@link FindingCode#all()}, e.g. {@code trigger_disabled}
 * @param priority    {@link Priority#OK} marks a note that does not raise the run's priority
 * @param runbookStep e.g. "Step 3A"
 * @param summary     one sentence with the numbers
 * @param actions     what to do next, exact statements where the runbook has one
 */
public record Finding(String code, Priority priority, String runbookStep, String summary, List<String> actions) {

    public Finding {
        actions = List.copyOf(actions);
    }

    public Finding(FindingCode code, Priority priority, String runbookStep, String summary, List<String> actions) {
        this(code.code(), priority, runbookStep, summary, actions);
    }
}
