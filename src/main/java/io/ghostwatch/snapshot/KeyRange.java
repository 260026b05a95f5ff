package io.ghostwatch.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A slice {@code [from, to)} of the primary-key space that one connection of a full scan compares. Bounds are the
 * key's text form, which the server casts back to the column's own type; no bound means open on that side, so
 * the slices of a split always cover every key, whatever the histogram missed.
 */
public record KeyRange(Optional<String> from, Optional<String> to) {

    public static final KeyRange ALL = new KeyRange(Optional.empty(), Optional.empty());

    /**
     * Up to {@code parts} adjacent slices cut at evenly spaced bounds of the id column's histogram (pg_stats:
     * each bucket holds about the same number of rows), so each connection gets a like share of the work. One
     * slice, the whole key space, when there is no histogram (never analyzed) or no parallelism.
     *
     * @param histogram the column's histogram bounds in ascending order, as text
     */
    public static List<KeyRange> split(List<String> histogram, int parts) {
        if (parts <= 1 || histogram.size() < parts + 1) {
            return List.of(ALL);
        }
        List<String> cuts = new ArrayList<>();
        for (int k = 1; k < parts; k++) {
            String cut = histogram.get(k * (histogram.size() - 1) / parts);
            if (cuts.isEmpty() || !cuts.get(cuts.size() - 1).equals(cut)) {
                cuts.add(cut);
            }
        }
        List<KeyRange> ranges = new ArrayList<>();
        Optional<String> from = Optional.empty();
        for (String cut : cuts) {
            ranges.add(new KeyRange(from, Optional.of(cut)));
            from = Optional.of(cut);
        }
        ranges.add(new KeyRange(from, Optional.empty()));
        return List.copyOf(ranges);
    }
}
