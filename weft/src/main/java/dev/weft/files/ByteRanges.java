package dev.weft.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code Range} header of a {@code GET} (RFC 9110 §14.2), resolved against a representation's
 * length. Pure; thread-safe.
 */
final class ByteRanges {
    private ByteRanges() {}

    /** One satisfiable range: {@code length} bytes from {@code first}. */
    record Slice(long first, long length) {
        long last() {
            return first + length - 1;
        }
    }

    /** What the header asks for. */
    sealed interface Outcome {}

    /** Send the whole representation with 200: no header, a malformed one, or one too costly to honour. */
    record Whole() implements Outcome {}

    /** Send these ranges with 206 (one: a plain body; several: multipart/byteranges), sorted, merged. */
    record Partial(List<Slice> slices) implements Outcome {}

    /** No range overlaps the representation: 416 with {@code content-range: bytes }{@code *}{@code /length}. */
    record Unsatisfiable() implements Outcome {}

    static final Outcome WHOLE = new Whole();

    /**
     * Resolves {@code header} for a representation of {@code length} bytes.
     *
     * <p>A header that does not parse, uses another unit, or lists more than {@code maxRanges}
     * ranges is ignored (RFC 9110 §14.2 lets a server ignore Range; §15.5.17 names many small or
     * overlapping ranges as a denial-of-service vector). Overlapping and adjacent ranges are merged.
     */
    static Outcome resolve(String header, long length, int maxRanges) {
        String value = header.trim();
        if (value.length() < 6 || !value.regionMatches(true, 0, "bytes=", 0, 6)) {
            return WHOLE;
        }
        String[] specs = value.substring(6).split(",", -1);
        if (specs.length > maxRanges) {
            return WHOLE;
        }
        List<Slice> slices = new ArrayList<>(specs.length);
        boolean any = false;
        for (String raw : specs) {
            String spec = raw.strip();
            if (spec.isEmpty()) {
                continue; // empty list elements are ignored (RFC 9110 §5.6.1.2)
            }
            any = true;
            int dash = spec.indexOf('-');
            if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
                return WHOLE;
            }
            long first = number(spec.substring(0, dash));
            long last = number(spec.substring(dash + 1));
            if (dash == 0) { // suffix: the last N bytes
                if (last < 0) {
                    return WHOLE;
                }
                if (last > 0 && length > 0) {
                    long n = Math.min(last, length);
                    slices.add(new Slice(length - n, n));
                }
                continue;
            }
            if (first < 0 || (dash + 1 < spec.length() && last < 0)) {
                return WHOLE;
            }
            if (dash + 1 < spec.length() && last < first) {
                return WHOLE; // "5-2" is invalid syntax (RFC 9110 §14.1.1), not an unsatisfiable range
            }
            if (first >= length) {
                continue; // unsatisfiable on its own
            }
            long end = dash + 1 == spec.length() ? length - 1 : Math.min(last, length - 1);
            slices.add(new Slice(first, end - first + 1));
        }
        if (!any) {
            return WHOLE;
        }
        if (slices.isEmpty()) {
            return new Unsatisfiable();
        }
        return new Partial(merge(slices));
    }

    /** Sorts and merges overlapping or adjacent slices. */
    static List<Slice> merge(List<Slice> slices) {
        List<Slice> sorted = new ArrayList<>(slices);
        sorted.sort(Comparator.comparingLong(Slice::first));
        List<Slice> merged = new ArrayList<>();
        Slice current = sorted.getFirst();
        for (int i = 1; i < sorted.size(); i++) {
            Slice next = sorted.get(i);
            if (next.first() <= current.last() + 1) {
                long last = Math.max(current.last(), next.last());
                current = new Slice(current.first(), last - current.first() + 1);
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return List.copyOf(merged);
    }

    /** A non-negative decimal of at most 18 digits, or -1 (also for the empty string). */
    private static long number(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
