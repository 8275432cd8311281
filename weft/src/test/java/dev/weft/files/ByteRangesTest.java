package dev.weft.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.files.ByteRanges.Slice;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangesTest {

    private static List<Slice> slices(String header, long length) {
        return ((ByteRanges.Partial) ByteRanges.resolve(header, length, 16)).slices();
    }

    @Test
    void one_range_is_clamped_to_the_end() {
        assertThat(slices("bytes=0-9", 100)).containsExactly(new Slice(0, 10));
        assertThat(slices("bytes=90-200", 100)).containsExactly(new Slice(90, 10));
        assertThat(slices("bytes=95-", 100)).containsExactly(new Slice(95, 5));
        assertThat(slices("bytes=0-1, ,", 100)).containsExactly(new Slice(0, 2));
        assertThat(slices("BYTES = 1-1".replace(" = ", "="), 100)).containsExactly(new Slice(1, 1));
    }

    @Test
    void suffix_ranges_count_from_the_end() {
        assertThat(slices("bytes=-10", 100)).containsExactly(new Slice(90, 10));
        assertThat(slices("bytes=-500", 100)).containsExactly(new Slice(0, 100));
    }

    @Test
    void overlapping_and_adjacent_ranges_are_merged_in_order() {
        assertThat(slices("bytes=50-59, 0-9, 5-14, 15-19", 100))
                .containsExactly(new Slice(0, 20), new Slice(50, 10));
        assertThat(slices("bytes=0-0,-1", 100)).containsExactly(new Slice(0, 1), new Slice(99, 1));
    }

    @Test
    void ranges_past_the_end_are_dropped_and_none_left_is_unsatisfiable() {
        assertThat(slices("bytes=200-300, 0-0", 100)).containsExactly(new Slice(0, 1));
        assertThat(ByteRanges.resolve("bytes=100-", 100, 16)).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(ByteRanges.resolve("bytes=-0", 100, 16)).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(ByteRanges.resolve("bytes=0-", 0, 16)).isInstanceOf(ByteRanges.Unsatisfiable.class);
    }

    @Test
    void more_ranges_than_allowed_get_the_whole_file() {
        String many = "bytes=" + "0-0,".repeat(16) + "0-0";
        assertThat(ByteRanges.resolve(many, 100, 16)).isInstanceOf(ByteRanges.Whole.class);
        assertThat(ByteRanges.resolve("bytes=" + "0-0,".repeat(15) + "0-0", 100, 16)).isInstanceOf(ByteRanges.Partial.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=", "bytes=a-b", "bytes=5-2", "bytes=--1", "bytes=1-2-3", "items=0-1", "bytes 0-1",
            "bytes=,", "bytes=-", "bytes=1", "bytes=99999999999999999999-", "bytes=+1-2", "bytes=0x1-2",
            "bytes=\u0661-2"})
    void malformed_headers_get_the_whole_file(String header) {
        assertThat(ByteRanges.resolve(header, 100, 16)).as(header).isInstanceOf(ByteRanges.Whole.class);
    }
}
