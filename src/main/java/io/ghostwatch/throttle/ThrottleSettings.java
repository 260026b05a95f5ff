package io.ghostwatch.throttle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How carefully a bulk fix writes on a live primary.
 *
 * @param batchTime  the duration a batch aims at; its row count adapts between {@code minBatch} and
 *                   {@code maxBatch}. Zero: every batch is {@code firstBatch} rows
 * @param firstBatch the first batch's row count (the configured batch size)
 * @param maxRate    a hard cap, rows per second over the whole run
 * @param maxLag     the most replay lag any standby may have before the next batch; zero: standbys not watched
 * @param pauseFile  while this file exists, no batch starts
 * @param maxLoad    hold while the commits' tail (what each signup waits for, see {@link CommitProbe}) or a
 *                   batch's time per row is more than this many times what it was at the start; zero: never
 */
public record ThrottleSettings(Duration batchTime, int firstBatch, int minBatch, int maxBatch,
                               OptionalDouble maxRate, Duration maxLag, Optional<Path> pauseFile, double maxLoad) {

    public static final Duration DEFAULT_BATCH_TIME = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(5);
    public static final int MIN_BATCH = 100;
    public static final int MAX_BATCH = 20_000;
    public static final double DEFAULT_MAX_LOAD = 1.5;

    /** Fixed batches, nothing watched: what a test of the batch SQL alone wants. */
    public static ThrottleSettings fixed(int batch) {
        return new ThrottleSettings(Duration.ZERO, batch, batch, batch, OptionalDouble.empty(), Duration.ZERO,
                Optional.empty(), 0);
    }
}
