package io.ghostwatch.remediate;

import java.util.List;
import java.util.Optional;

/**
 * What a fix would do: how many rows, a sample of ids, the SQL, and, once read, exactly which rows ({@code ids}:
 * the fix writes these and no others) and how ({@code writer}); or why it will not (a refusal, exit 2), or that
 * there is nothing to do.
 */
record Plan(long rows, List<String> sampleIds, List<String> statements, Optional<String> refusal,
            Optional<String> nothingToDo, List<String> ids, Optional<BatchWriter> writer) {

    static Plan of(long rows, List<String> sample, List<String> statements) {
        return new Plan(rows, sample, statements, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    static Plan refused(String why) {
        return new Plan(0, List.of(), List.of(), Optional.of(why), Optional.empty(), List.of(), Optional.empty());
    }

    static Plan nothing(String why) {
        return new Plan(0, List.of(), List.of(), Optional.empty(), Optional.of(why), List.of(), Optional.empty());
    }

    /**
     * The same plan for exactly these rows, written by {@code writer}: its count is theirs, whatever the snapshot
     * counted before, and its statements are the writer's.
     */
    Plan forRows(List<String> exactly, BatchWriter by) {
        return new Plan(exactly.size(), sampleIds, by.statements(), refusal, nothingToDo, List.copyOf(exactly),
                Optional.of(by));
    }
}
