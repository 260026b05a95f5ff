package io.ghostwatch.pooler;

/**
 * What {@link PoolerProbe} found between ghostwatch and PostgreSQL.
 *
 * @param sessionKept  true when each connection keeps one server session (direct, or a pooler in session mode)
 * @param known        false when the probe could not tell (then {@code sessionKept} is false too)
 * @param evidence     what was measured, for the operator
 */
public record Pooling(boolean sessionKept, boolean known, String evidence) {

    static Pooling sessions(String evidence) {
        return new Pooling(true, true, evidence);
    }

    static Pooling transactions(String evidence) {
        return new Pooling(false, true, evidence);
    }

    static Pooling unknown(String evidence) {
        return new Pooling(false, false, evidence);
    }

    /** True only when a transaction pooler was seen at work (not when the probe could not tell). */
    public boolean transactionPooler() {
        return known && !sessionKept;
    }

    /**
     * One line for a refusal: what needs a session, why it cannot have one here, and the connection to use.
     * {@code what} names the work, e.g. "creating the history schema".
     */
    public String refusal(String what) {
        return what + " needs a database session of its own, and "
                + (known ? "this connection runs through a pooler in transaction mode (" + evidence + ")"
                        : "ghostwatch could not tell whether this connection keeps one (" + evidence + ")")
                + ": run it once through a direct connection or the pooler's session mode (PgBouncer"
                + " pool_mode=session; Supabase: the session pooler, port 5432 of the pooler host, or the direct"
                + " db.<project>.supabase.co:5432)";
    }
}
