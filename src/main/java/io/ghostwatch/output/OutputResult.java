package io.ghostwatch.output;

import io.ghostwatch.metrics.RunMetrics;

import java.util.List;

/** What the outputs of one run did: the problems (one line each; any means exit 3) and the final series. */
public record OutputResult(List<String> problems, RunMetrics metrics) {

    public OutputResult {
        problems = List.copyOf(problems);
    }

    public boolean delivered() {
        return problems.isEmpty();
    }
}
