package dev.weft.middleware;

import dev.weft.internal.compress.Coding;
import java.util.List;
import java.util.Locale;

/**
 * Chooses a response's content coding from the request's {@code Accept-Encoding} (RFC 9110
 * §12.5.3). Names are case-insensitive and whitespace around elements and parameters is ignored.
 *
 * <ul>
 *   <li>No header, or an empty one: no coding (identity).</li>
 *   <li>Each listed coding has its weight ({@code q}, 1 when absent); {@code *} gives its weight to
 *       every coding not listed by name; a coding with weight 0 is never chosen.</li>
 *   <li>The highest weight wins; among equal weights the server's order (zstd, br, gzip by default).</li>
 *   <li>Identity is acceptable unless refused by {@code identity;q=0}, or by {@code *;q=0} without
 *       an {@code identity} entry. It wins over the codings only when listed by name with a higher weight.</li>
 *   <li>An element whose weight is malformed ({@code q=abc}, {@code q=2}, {@code q=0.0001},
 *       {@code q=-1}) is ignored, as if it were not there: it neither grants nor refuses.</li>
 *   <li>When a coding is named twice, the first element counts.</li>
 * </ul>
 *
 * <p>Pure functions; thread-safe.
 */
final class AcceptEncoding {
    private AcceptEncoding() {}

    /** The outcome: a coding to apply, none (identity), or nothing acceptable (406). */
    sealed interface Choice {}

    record Encode(Coding coding) implements Choice {}

    enum Plain implements Choice { IDENTITY, NOT_ACCEPTABLE }

    /** Weights in thousandths, -1 when the element is absent. */
    private static final int ABSENT = -1;

    /**
     * @param values the header's field values (possibly several lines), empty when it is absent
     * @param offered the codings the server can apply, preferred first
     */
    static Choice choose(List<String> values, List<Coding> offered) {
        if (values.isEmpty()) {
            return Plain.IDENTITY;
        }
        int[] weights = new int[Coding.values().length];
        java.util.Arrays.fill(weights, ABSENT);
        int star = ABSENT;
        int identity = ABSENT;
        boolean any = false;
        for (String value : values) {
            for (String element : value.split(",")) {
                int semi = element.indexOf(';');
                String name = (semi < 0 ? element : element.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                int q = semi < 0 ? 1000 : weight(element.substring(semi + 1));
                if (q < 0) {
                    continue; // malformed weight: the element is ignored
                }
                any = true;
                switch (name) {
                    case "*" -> star = star == ABSENT ? q : star;
                    case "identity" -> identity = identity == ABSENT ? q : identity;
                    default -> {
                        var coding = Coding.of(name);
                        if (coding.isPresent() && weights[coding.get().ordinal()] == ABSENT) {
                            weights[coding.get().ordinal()] = q;
                        }
                    }
                }
            }
        }
        if (!any) {
            return Plain.IDENTITY; // "Accept-Encoding:" (empty): the client wants no coding
        }
        Coding best = null;
        int bestWeight = 0;
        for (Coding coding : offered) {
            int w = weights[coding.ordinal()] != ABSENT ? weights[coding.ordinal()] : (star != ABSENT ? star : 0);
            if (w > bestWeight) {
                best = coding;
                bestWeight = w;
            }
        }
        int identityWeight = identity != ABSENT ? identity : (star != ABSENT ? star : 1000);
        if (best != null && !(identity != ABSENT && identity > bestWeight)) {
            return new Encode(best);
        }
        return identityWeight > 0 ? Plain.IDENTITY : Plain.NOT_ACCEPTABLE;
    }

    /**
     * The weight in thousandths from an element's parameters ({@code q=0.5} → 500), 1000 if
     * there is no {@code q}, or -1 if {@code q} is malformed. Other parameters are ignored.
     */
    static int weight(String parameters) {
        int result = 1000;
        for (String parameter : parameters.split(";")) {
            String p = parameter.trim();
            int eq = p.indexOf('=');
            if (eq < 0 || !p.substring(0, eq).trim().equalsIgnoreCase("q")) {
                continue;
            }
            result = qvalue(p.substring(eq + 1).trim());
            if (result < 0) {
                return -1;
            }
        }
        return result;
    }

    /** {@code qvalue = ("0" ["." 0*3DIGIT]) / ("1" ["." 0*3("0")])} in thousandths, or -1. */
    private static int qvalue(String text) {
        int n = text.length();
        if (n == 0 || n > 5 || (text.charAt(0) != '0' && text.charAt(0) != '1')) {
            return -1;
        }
        if (n > 1 && text.charAt(1) != '.') {
            return -1;
        }
        int thousandths = 0;
        int scale = 100;
        for (int i = 2; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            thousandths += (c - '0') * scale;
            scale /= 10;
        }
        if (text.charAt(0) == '1') {
            return thousandths == 0 ? 1000 : -1;
        }
        return thousandths;
    }
}
