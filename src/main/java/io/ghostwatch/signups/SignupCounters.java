package io.ghostwatch.signups;

import java.time.Instant;
import java.util.Optional;

/**
 * The identity table's own statistics ({@code pg_stat_user_tables}), read once per check beside the steady
 * state's counters. {@code n_tup_ins} counts every row an INSERT wrote, including those of transactions that
 * rolled back (a signup whose AFTER trigger raised wrote its identity first); {@code n_live_tup} moves only by
 * committed inserts minus committed deletes, until VACUUM or ANALYZE replaces it with a new estimate.
 *
 * @param inserts     {@code n_tup_ins}: attempted inserts, committed or not
 * @param deletes     {@code n_tup_del}: attempted deletes, committed or not
 * @param live        {@code n_live_tup}
 * @param maintenance vacuums and analyzes so far (manual and automatic): a change means {@code live} was
 *                    re-estimated, so its difference no longer counts commits
 * @param filenode    {@code pg_relation_filenode}: TRUNCATE, VACUUM FULL and rewriting ALTERs give the table a
 *                    new one, and TRUNCATE also zeroes {@code live}
 * @param serverStart {@code pg_postmaster_start_time()}: a restart or a failover starts the counters over
 * @param statsReset  the database's {@code stats_reset}
 */
public record SignupCounters(long inserts, long deletes, long live, long maintenance, long filenode,
                             Instant serverStart, Optional<Instant> statsReset) {
}
