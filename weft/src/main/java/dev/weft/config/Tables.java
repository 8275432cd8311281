package dev.weft.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sanitizes values and renders the tables; package-private. */
final class Tables {
    /** Longest value shown; longer ones are cut, so one variable cannot flood the table. */
    static final int MAX_SHOWN = 80;

    private static final Set<String> SECRET_WORDS = Set.of("PASSWORD", "PASSWD", "PWD", "SECRET", "TOKEN", "KEY",
            "APIKEY", "CREDENTIAL", "CREDENTIALS", "PRIVATE");
    // scheme://userinfo@ : everything after the first ':' in the userinfo is a password.
    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/?#@\\s]*)@");
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)([?&;][a-z0-9_.-]*(?:password|passwd|pwd|secret|token|key|credential|signature|sig)[a-z0-9_.-]*=)[^&;#\\s]*");

    private Tables() {}

    /** Whether a variable's name says it holds a secret: a word such as PASSWORD, TOKEN, KEY or SECRET. */
    static boolean secretName(String name) {
        for (String word : name.toUpperCase(Locale.ROOT).split("[^A-Z0-9]+")) {
            if (SECRET_WORDS.contains(word) || word.endsWith("PASSWORD") || word.endsWith("TOKEN")
                    || word.endsWith("SECRET")) {
                return true;
            }
        }
        return false;
    }

    /** The value as it may be shown: URL passwords and secret query parameters masked, escaped, cut. */
    static String shown(String value) {
        String s = mask(value);
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        if (out.codePointCount(0, out.length()) > MAX_SHOWN) {
            int end = out.offsetByCodePoints(0, MAX_SHOWN - 3);
            return '"' + out.substring(0, end) + "...\"";
        }
        return '"' + out.toString() + '"';
    }

    static String mask(String value) {
        Matcher m = USERINFO.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String info = m.group(2);
            int colon = info.indexOf(':');
            // user:password -> user:****; a lone userinfo is often a token, so it is masked whole.
            String masked = colon >= 0 ? info.substring(0, colon + 1) + Secret.MASK : Secret.MASK;
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + masked + "@"));
        }
        m.appendTail(sb);
        return SECRET_PARAM.matcher(sb).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + Secret.MASK));
    }

    static String problems(List<ConfigEntry> problems) {
        StringBuilder out = new StringBuilder();
        out.append("configuration is invalid (").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems").append("); nothing was started\n");
        String[][] rows = new String[problems.size() + 1][];
        rows[0] = new String[] {"NAME", "VALUE", "EXPECTED"};
        for (int i = 0; i < problems.size(); i++) {
            ConfigEntry e = problems.get(i);
            String why = e.problem().orElse("");
            rows[i + 1] = new String[] {e.name(), e.shownValue(),
                    why.isEmpty() || why.equals("missing") ? e.expected() : e.expected() + " (" + why + ")"};
        }
        render(out, rows);
        return out.toString().stripTrailing();
    }

    static String all(List<ConfigEntry> entries) {
        StringBuilder out = new StringBuilder();
        String[][] rows = new String[entries.size() + 1][];
        rows[0] = new String[] {"NAME", "VALUE", "SOURCE", "EXPECTED"};
        for (int i = 0; i < entries.size(); i++) {
            ConfigEntry e = entries.get(i);
            rows[i + 1] = new String[] {e.name(), e.shownValue(), e.source().label(),
                    e.expected() + e.problem().map(p -> p.equals("missing") ? "" : " (" + p + ")").orElse("")};
        }
        render(out, rows);
        return out.toString().stripTrailing();
    }

    private static void render(StringBuilder out, String[][] rows) {
        int columns = rows[0].length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            out.append("  ");
            for (int c = 0; c < columns; c++) {
                out.append(row[c]);
                if (c < columns - 1) {
                    out.append(" ".repeat(width[c] - row[c].length())).append(" | ");
                }
            }
            out.append('\n');
        }
    }
}
