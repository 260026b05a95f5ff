package io.ghostwatch.snapshot;

/**
 * {@code pg_stat_user_tables.n_tup_ins} of the two tables: cumulative inserts since the statistics were last
 * reset, read without scanning, so Prometheus can compute the signup rate. Rolled-back inserts (the canary's)
 * count too.
 */
public record InsertCounters(long identity, long profile) {
}
