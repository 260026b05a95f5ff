package io.ghostwatch.report;

/** How a command prints its report on stdout. */
public enum OutputFormat {
    TABLE, JSON
}
