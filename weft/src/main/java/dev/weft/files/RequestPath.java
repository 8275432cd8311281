package dev.weft.files;

import dev.weft.internal.http.PercentDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The part of a request path a static-file handler serves, checked and decoded into file names.
 * Traversal is impossible by construction: the raw (not decoded) text is split on {@code /}, each
 * piece is percent-decoded exactly once, and any piece that is not a plain file name is refused,
 * so no decoded name can hold a separator, point upwards or name a device. Pure; thread-safe.
 *
 * @param names the decoded file names, outermost first; empty for the served directory itself
 * @param trailingSlash whether the raw text ended with {@code /} (a directory was asked for)
 */
record RequestPath(List<String> names, boolean trailingSlash) {

    /** Why a request path was refused: {@code malformed} (400) or else not found (404). */
    record Refusal(boolean malformed, String reason) {}

    /** Thrown by {@link #parse}; carries the refusal. */
    static final class RefusedException extends Exception {
        final transient Refusal refusal;

        RefusedException(boolean malformed, String reason) {
            super(reason, null, false, false);
            this.refusal = new Refusal(malformed, reason);
        }
    }

    /** Windows device names: refused on every OS, so a tree copied to Windows serves the same. */
    private static final Set<String> DEVICES = Set.of("con", "prn", "aux", "nul", "conin$", "conout$",
            "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    /**
     * Parses {@code raw}, the undecoded rest of the request path below the served directory
     * (without a leading {@code /}).
     *
     * @param allowedHidden names starting with {@code .} that may be served (e.g. {@code .well-known})
     * @throws RefusedException if it is malformed (bad escape, invalid UTF-8) or not a plain path
     */
    static RequestPath parse(String raw, Set<String> allowedHidden) throws RefusedException {
        if (raw.isEmpty()) {
            return new RequestPath(List.of(), true);
        }
        boolean trailing = raw.endsWith("/");
        String body = trailing ? raw.substring(0, raw.length() - 1) : raw;
        List<String> names = new ArrayList<>();
        int start = 0;
        while (true) {
            int slash = body.indexOf('/', start);
            String piece = body.substring(start, slash < 0 ? body.length() : slash);
            names.add(name(piece, allowedHidden));
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return new RequestPath(List.copyOf(names), trailing);
    }

    private static String name(String raw, Set<String> allowedHidden) throws RefusedException {
        if (raw.isEmpty()) {
            throw new RefusedException(false, "an empty path segment");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                throw new RefusedException(false, "a backslash or control character in the path");
            }
            if (c == '%' && i + 2 < raw.length()) {
                // Encoded dots, slashes, backslashes and NUL are never needed in a file name and
                // are the stuff of traversal attempts: refused before decoding, not after.
                String escape = raw.substring(i + 1, i + 3).toLowerCase(Locale.ROOT);
                if (escape.equals("2e") || escape.equals("2f") || escape.equals("5c") || escape.equals("00")) {
                    throw new RefusedException(false, "an encoded dot, slash, backslash or NUL in the path");
                }
            }
        }
        String name;
        try {
            name = PercentDecoder.decode(raw, false);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(true, "the path is not valid percent-encoded UTF-8");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f || c == ':' || (c >= 0x80 && c < 0xa0)) {
                throw new RefusedException(false, "a separator, colon or control character in a file name");
            }
        }
        if (name.equals(".") || name.equals("..")) {
            throw new RefusedException(false, "a '.' or '..' segment");
        }
        char last = name.charAt(name.length() - 1);
        if (last == '.' || last == ' ') {
            // Windows drops trailing dots and spaces: "index.html." would be another name for index.html.
            throw new RefusedException(false, "a file name ending with a dot or space");
        }
        if (name.charAt(0) == '.' && !allowedHidden.contains(name)) {
            throw new RefusedException(false, "a hidden name (starting with '.')");
        }
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).trim().toLowerCase(Locale.ROOT);
        if (DEVICES.contains(stem)) {
            throw new RefusedException(false, "a device name");
        }
        return name;
    }

    /** The names joined with {@code /}: the key of a classpath entry, relative to the served prefix. */
    String joined() {
        return String.join("/", names);
    }
}
