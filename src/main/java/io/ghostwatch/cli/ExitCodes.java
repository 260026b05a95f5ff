package io.ghostwatch.cli;

/** DESIGN.md's exit codes, shared by every command. */
public final class ExitCodes {

    /** Checks ran, every output was delivered, nothing at or above {@code --fail-on}. */
    public static final int OK = 0;
    /** Checks ran and found something at or above {@code --fail-on}. */
    public static final int FINDINGS = 1;
    /** The database could not be checked: unreachable, bad credentials, missing tables, bad configuration. */
    public static final int CANNOT_CHECK = 2;
    /** Checks ran, but an output (Pushgateway, webhook, history) failed. */
    public static final int OUTPUT_FAILED = 3;

    private ExitCodes() {
    }
}
