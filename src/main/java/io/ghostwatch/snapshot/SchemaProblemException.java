package io.ghostwatch.snapshot;

import java.util.List;

/** The configured tables or columns are missing or unreadable; each problem names the setting and the fix. */
public class SchemaProblemException extends RuntimeException {

    private final List<String> problems;

    public SchemaProblemException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
