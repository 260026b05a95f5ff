package io.ghostwatch.snapshot;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class KeyRangeTest {

    private static final List<String> HISTOGRAM = IntStream.rangeClosed(0, 100)
            .mapToObj(i -> String.format("%03d", i)).toList();

    @Test
    void slicesAreAdjacentOpenAtBothEndsAndCutAtEvenlySpacedBounds() {
        List<KeyRange> ranges = KeyRange.split(HISTOGRAM, 4);

        assertThat(ranges).containsExactly(
                new KeyRange(Optional.empty(), Optional.of("025")),
                new KeyRange(Optional.of("025"), Optional.of("050")),
                new KeyRange(Optional.of("050"), Optional.of("075")),
                new KeyRange(Optional.of("075"), Optional.empty()));
    }

    @Test
    void noHistogramOrNoParallelismMeansOneSliceOfEverything() {
        assertThat(KeyRange.split(List.of(), 2)).containsExactly(KeyRange.ALL);
        assertThat(KeyRange.split(HISTOGRAM, 1)).containsExactly(KeyRange.ALL);
        assertThat(KeyRange.split(List.of("a", "b"), 2)).containsExactly(KeyRange.ALL);
    }

    @Test
    void repeatedBoundsNeverMakeAnEmptySlice() {
        List<KeyRange> ranges = KeyRange.split(List.of("a", "m", "m", "m", "m", "m", "z"), 3);

        assertThat(ranges).containsExactly(new KeyRange(Optional.empty(), Optional.of("m")),
                new KeyRange(Optional.of("m"), Optional.empty()));
    }
}
