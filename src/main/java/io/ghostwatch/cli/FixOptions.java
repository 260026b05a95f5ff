package io.ghostwatch.cli;

import picocli.CommandLine.Option;

/** The guard rails every {@code fix} command takes. */
public class FixOptions {

    @Option(names = "--apply", description = "Write the change. Without it, a dry run: prints what would change.")
    boolean apply;

    @Option(names = "--reason", description = "Why (required with --apply); goes into the audit trail.")
    String reason;

    @Option(names = "--max-rows", defaultValue = "10000",
            description = "Refuse a change of more rows than this (default: ${DEFAULT-VALUE}).")
    long maxRows;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces with errors.")
    boolean verbose;
}
