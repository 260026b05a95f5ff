package io.ghostwatch.metrics;

import io.ghostwatch.judge.Finding;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code ghostwatch_finding} series: a finding the last completed run made, by code, priority and runbook
 * step. Codes come from a fixed set (FindingCode) and no message text becomes a label, so the series are bounded;
 * the alert rules page on every P0 one whether or not a rule of the severity table covers it.
 */
public record FindingSeries(String code, String priority, String step) {

    public static final String NAME = "ghostwatch_finding";
    public static final String HELP = "1 for each finding the last completed run made, by code, priority (P0, P1,"
            + " P2, or OK for a note) and runbook step; a finding gone is gone.";

    /** One series per distinct finding, worst first as the verdict lists them. */
    public static List<FindingSeries> of(List<Finding> findings) {
        Set<FindingSeries> series = new LinkedHashSet<>();
        for (Finding f : findings) {
            series.add(new FindingSeries(f.code(), f.priority().name(), f.runbookStep()));
        }
        return List.copyOf(series);
    }
}
