package io.ghostwatch.cli;

import io.ghostwatch.throttle.ThrottleSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** The guard rails every {@code fix} command takes, and how carefully a bulk fix writes. */
public class FixOptions {

    @Option(names = "--apply", description = "Write the change. Without it, a dry run: prints what would change.")
    boolean apply;

    @Option(names = "--reason", description = "Why (required with --apply); goes into the audit trail.")
    String reason;

    @Option(names = "--max-rows", defaultValue = "10000",
            description = "Refuse a change of more rows than this (default: ${DEFAULT-VALUE}).")
    long maxRows;

    @Option(names = "--batch-time", defaultValue = "100ms", paramLabel = "DURATION",
            description = "Size each batch to take about this long, between 100 and 20,000 rows (default:"
                    + " ${DEFAULT-VALUE}); 0 keeps every batch at ghostwatch.remediate.batch-size rows.")
    String batchTime;

    @Option(names = "--max-rate", paramLabel = "ROWS/s",
            description = "Never write faster than this many rows per second, averaged over the run.")
    Double maxRate;

    @Option(names = "--max-lag", defaultValue = "5s", paramLabel = "DURATION",
            description = "Hold before a batch while any standby replays more than this behind (default:"
                    + " ${DEFAULT-VALUE}; reads pg_stat_replication, needs pg_monitor); 0 ignores standbys.")
    String maxLag;

    @Option(names = "--max-load", defaultValue = "1.5", paramLabel = "FACTOR",
            description = "Keep the commits' p99 (what every signup waits for, probed all through the fix) under"
                    + " this many times what it was with the fix idle (measured before the first batch, and again"
                    + " when commits stay slow for 60 s without the fix's writes), and back off while a batch's time"
                    + " per row grows as much (default: ${DEFAULT-VALUE}); 0 never holds back.")
    double maxLoad;

    @Option(names = "--pause-file", paramLabel = "PATH",
            description = "Hold before a batch while this file exists; remove it to resume.")
    Path pauseFile;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces with errors.")
    boolean verbose;

    /** The throttle, or every problem with the options, each naming its option. */
    ThrottleSettings throttle(int configuredBatch, List<String> problems) {
        Duration time = duration("--batch-time", batchTime, problems);
        Duration lag = duration("--max-lag", maxLag, problems);
        if (maxRate != null && !(maxRate > 0)) {
            problems.add("--max-rate: must be more than 0 rows/s, was " + maxRate);
        }
        if (maxLoad != 0 && !(maxLoad > 1)) {
            problems.add("--max-load: must be 0 (off) or a factor above 1 (e.g. 1.5), was " + maxLoad);
        }
        if (time.isZero()) {
            return new ThrottleSettings(Duration.ZERO, configuredBatch, configuredBatch, configuredBatch,
                    rate(), lag, Optional.ofNullable(pauseFile), Math.max(0, maxLoad));
        }
        return new ThrottleSettings(time, configuredBatch, ThrottleSettings.MIN_BATCH, ThrottleSettings.MAX_BATCH,
                rate(), lag, Optional.ofNullable(pauseFile), Math.max(0, maxLoad));
    }

    private OptionalDouble rate() {
        return maxRate == null || !(maxRate > 0) ? OptionalDouble.empty() : OptionalDouble.of(maxRate);
    }

    private static Duration duration(String option, String value, List<String> problems) {
        try {
            Duration d = "0".equals(value.strip()) ? Duration.ZERO : DurationConverter.parseDuration(value.strip());
            if (d == null || d.isNegative()) {
                problems.add(option + ": must be 0 or a positive duration (e.g. 100ms, 5s), was '" + value + "'");
                return Duration.ZERO;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(option + ": '" + value + "' is not a duration; use e.g. 100ms, 5s, 1m");
            return Duration.ZERO;
        }
    }

}
