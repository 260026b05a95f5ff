package io.ghostwatch.snapshot;

import io.ghostwatch.sql.QualifiedName;

import java.util.ArrayList;
import java.util.List;

/** The configured tables or columns are missing or unreadable; each problem names the setting and the fix. */
public class SchemaProblemException extends RuntimeException {

    private final List<String> problems;
    private final List<QualifiedName> missingTables;

    public SchemaProblemException(List<String> problems, List<QualifiedName> missingTables) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
        this.missingTables = List.copyOf(missingTables);
    }

    /** The same problems and one more, said after them. */
    public SchemaProblemException with(String problem) {
        List<String> more = new ArrayList<>(problems);
        more.add(problem);
        return new SchemaProblemException(more, missingTables);
    }

    /** The configured tables that do not exist. */
    public List<QualifiedName> missingTables() {
        return missingTables;
    }

    public List<String> problems() {
        return problems;
    }
}
