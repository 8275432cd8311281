package dev.weft.files;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which content codings a request's {@code Accept-Encoding} allows, in the client's order of
 * preference (RFC 9110 §12.5.3). Pure; thread-safe.
 */
final class AcceptEncoding {
    private AcceptEncoding() {}

    /**
     * The codings of {@code offered} (the server's order of preference) that {@code header}
     * accepts, best first: by the client's q-value, ties in the server's order. A coding listed
     * with {@code q=0} is refused even if {@code *} accepts others; {@code *} accepts every coding
     * not listed. A malformed element is ignored (as if absent).
     */
    static List<String> acceptable(List<String> headers, List<String> offered) {
        double[] q = new double[offered.size()];
        boolean[] listed = new boolean[offered.size()];
        double star = -1;
        for (String header : headers) {
            for (String element : header.split(",")) {
                String[] parts = element.split(";");
                String coding = parts[0].strip().toLowerCase(Locale.ROOT);
                if (coding.isEmpty()) {
                    continue;
                }
                double weight = 1;
                boolean valid = true;
                for (int i = 1; i < parts.length; i++) {
                    String param = parts[i].strip();
                    if (param.length() > 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q') && param.charAt(1) == '=') {
                        weight = qValue(param.substring(2));
                        valid = weight >= 0;
                    }
                }
                if (!valid) {
                    continue;
                }
                if (coding.equals("*")) {
                    star = Math.max(star, weight);
                    continue;
                }
                if (coding.equals("x-gzip")) {
                    coding = "gzip";
                }
                int at = offered.indexOf(coding);
                if (at >= 0) {
                    q[at] = listed[at] ? Math.max(q[at], weight) : weight;
                    listed[at] = true;
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < offered.size(); i++) {
            if (!listed[i] && star > 0) {
                q[i] = star;
                listed[i] = true;
            }
            if (listed[i] && q[i] > 0) {
                order.add(i);
            }
        }
        order.sort((a, b) -> Double.compare(q[b], q[a])); // stable: ties keep the server's order
        return order.stream().map(offered::get).toList();
    }

    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}, or -1 if malformed. */
    private static double qValue(String text) {
        if (text.isEmpty() || text.length() > 5 || (text.charAt(0) != '0' && text.charAt(0) != '1')) {
            return -1;
        }
        if (text.length() > 1 && text.charAt(1) != '.') {
            return -1;
        }
        for (int i = 2; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9' || (text.charAt(0) == '1' && text.charAt(i) != '0')) {
                return -1;
            }
        }
        return Double.parseDouble(text.length() == 2 ? text.substring(0, 1) : text);
    }
}
