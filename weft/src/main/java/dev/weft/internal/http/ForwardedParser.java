package dev.weft.internal.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads RFC 7239 {@code Forwarded} fields into hops, left to right. An element that breaks the
 * grammar, or names a parameter twice, becomes a hop without an address, which ends the walk of
 * {@link TrustedProxies} there: nothing left of a broken element is believed.
 */
final class ForwardedParser {
    private ForwardedParser() {}

    static List<TrustedProxies.Hop> hops(List<String> lines) {
        List<TrustedProxies.Hop> hops = new ArrayList<>();
        for (String line : lines) {
            parseLine(line, hops);
        }
        return hops;
    }

    private static void parseLine(String line, List<TrustedProxies.Hop> hops) {
        int i = 0;
        int n = line.length();
        while (i <= n) {
            Element element = new Element();
            i = element.parse(line, i);
            hops.add(element.hop());
            if (i >= n) {
                return;
            }
            i++; // the comma
        }
    }

    /** One element's parameters; {@code broken} once the grammar is not followed. */
    private static final class Element {
        private String forValue;
        private String proto;
        private String host;
        private boolean broken;
        private boolean sawFor;
        private boolean sawProto;
        private boolean sawHost;

        /** Parses from {@code i} to the comma that ends the element (or the end); returns its index. */
        int parse(String s, int i) {
            int n = s.length();
            while (i < n && s.charAt(i) != ',') {
                i = skipSpace(s, i);
                if (i >= n || s.charAt(i) == ',') {
                    break;
                }
                if (s.charAt(i) == ';') {
                    i++;
                    continue;
                }
                int nameStart = i;
                while (i < n && isTokenChar(s.charAt(i))) {
                    i++;
                }
                if (i == nameStart || i >= n || s.charAt(i) != '=') {
                    broken = true;
                    return skipToComma(s, i);
                }
                String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
                i++; // '='
                StringBuilder value = new StringBuilder();
                if (i < n && s.charAt(i) == '"') {
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = s.charAt(i++);
                        if (c == '\\' && i < n) {
                            value.append(s.charAt(i++));
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            value.append(c);
                        }
                    }
                    if (!closed) {
                        broken = true;
                        return n;
                    }
                } else {
                    int start = i;
                    while (i < n && isTokenChar(s.charAt(i))) {
                        i++;
                    }
                    if (i == start) {
                        broken = true;
                        return skipToComma(s, i);
                    }
                    value.append(s, start, i);
                }
                set(name, value.toString());
                i = skipSpace(s, i);
                if (i < n && s.charAt(i) != ';' && s.charAt(i) != ',') {
                    broken = true;
                    return skipToComma(s, i);
                }
            }
            return i;
        }

        private void set(String name, String value) {
            switch (name) {
                case "for" -> {
                    broken |= sawFor;
                    sawFor = true;
                    forValue = value;
                }
                case "proto" -> {
                    broken |= sawProto;
                    sawProto = true;
                    proto = TrustedProxies.proto(value);
                }
                case "host" -> {
                    broken |= sawHost;
                    sawHost = true;
                    host = TrustedProxies.host(value);
                }
                default -> { } // "by" and extensions are not needed
            }
        }

        TrustedProxies.Hop hop() {
            if (broken) {
                return new TrustedProxies.Hop(null, null, null);
            }
            return new TrustedProxies.Hop(TrustedProxies.address(forValue), proto, host);
        }
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** The index of the next comma outside a quoted string, or the end. */
    private static int skipToComma(String s, int i) {
        boolean quoted = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return s.length();
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
}
