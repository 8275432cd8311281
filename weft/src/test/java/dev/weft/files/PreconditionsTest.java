package dev.weft.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.files.Preconditions.Verdict;
import dev.weft.http.Headers;
import org.junit.jupiter.api.Test;

class PreconditionsTest {
    private static final String TAG = "\"abc\"";
    private static final long MODIFIED = 1_700_000_000L;
    private static final String AT = Preconditions.format(MODIFIED);
    private static final String BEFORE = Preconditions.format(MODIFIED - 1);

    private static Verdict verdict(String... headers) {
        return Preconditions.evaluate(Headers.of(headers), TAG, MODIFIED);
    }

    @Test
    void dates_are_imf_fixdates_that_round_trip() {
        assertThat(Preconditions.format(0)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(Preconditions.date(AT)).isEqualTo(MODIFIED);
        assertThat(Preconditions.date("yesterday")).isEqualTo(-1);
    }

    @Test
    void if_none_match_compares_weakly_and_takes_lists_and_star() {
        assertThat(verdict("if-none-match", TAG)).isEqualTo(Verdict.NOT_MODIFIED);
        assertThat(verdict("if-none-match", "W/" + TAG)).isEqualTo(Verdict.NOT_MODIFIED);
        assertThat(verdict("if-none-match", "\"x\", W/\"y\" ,\"abc\"")).isEqualTo(Verdict.NOT_MODIFIED);
        assertThat(verdict("if-none-match", "*")).isEqualTo(Verdict.NOT_MODIFIED);
        assertThat(verdict("if-none-match", "\"x\"")).isEqualTo(Verdict.PROCEED);
        assertThat(verdict("if-none-match", "abc")).isEqualTo(Verdict.PROCEED);
    }

    @Test
    void if_none_match_wins_over_if_modified_since() {
        assertThat(verdict("if-none-match", "\"x\"", "if-modified-since", AT)).isEqualTo(Verdict.PROCEED);
    }

    @Test
    void if_modified_since_compares_seconds() {
        assertThat(verdict("if-modified-since", AT)).isEqualTo(Verdict.NOT_MODIFIED);
        assertThat(verdict("if-modified-since", BEFORE)).isEqualTo(Verdict.PROCEED);
        assertThat(verdict("if-modified-since", "garbage")).isEqualTo(Verdict.PROCEED);
    }

    @Test
    void if_match_compares_strongly_and_fails_with_412() {
        assertThat(verdict("if-match", TAG)).isEqualTo(Verdict.PROCEED);
        assertThat(verdict("if-match", "*")).isEqualTo(Verdict.PROCEED);
        assertThat(verdict("if-match", "W/" + TAG)).isEqualTo(Verdict.FAILED);
        assertThat(verdict("if-match", "\"other\"")).isEqualTo(Verdict.FAILED);
    }

    @Test
    void if_unmodified_since_fails_for_a_newer_file_unless_if_match_is_present() {
        assertThat(verdict("if-unmodified-since", BEFORE)).isEqualTo(Verdict.FAILED);
        assertThat(verdict("if-unmodified-since", AT)).isEqualTo(Verdict.PROCEED);
        assertThat(verdict("if-match", TAG, "if-unmodified-since", BEFORE)).isEqualTo(Verdict.PROCEED);
    }

    @Test
    void if_range_needs_a_strong_match_or_the_exact_date() {
        assertThat(Preconditions.rangeApplies(Headers.of(), TAG, MODIFIED)).isTrue();
        assertThat(Preconditions.rangeApplies(Headers.of("if-range", TAG), TAG, MODIFIED)).isTrue();
        assertThat(Preconditions.rangeApplies(Headers.of("if-range", "W/" + TAG), TAG, MODIFIED)).isFalse();
        assertThat(Preconditions.rangeApplies(Headers.of("if-range", "\"old\""), TAG, MODIFIED)).isFalse();
        assertThat(Preconditions.rangeApplies(Headers.of("if-range", AT), TAG, MODIFIED)).isTrue();
        assertThat(Preconditions.rangeApplies(Headers.of("if-range", BEFORE), TAG, MODIFIED)).isFalse();
        assertThat(Preconditions.rangeApplies(Headers.of("if-range", "nonsense"), TAG, MODIFIED)).isFalse();
    }
}
