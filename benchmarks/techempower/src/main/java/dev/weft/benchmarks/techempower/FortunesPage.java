package dev.weft.benchmarks.techempower;

import java.util.List;

/** Renders the fortunes test's HTML page, escaping every message. */
final class FortunesPage {
    private static final String HEAD = "<!DOCTYPE html><html><head><title>Fortunes</title></head><body>"
            + "<table><tr><th>id</th><th>message</th></tr>";
    private static final String TAIL = "</table></body></html>";

    private FortunesPage() {}

    /** The page listing {@code fortunes} in the given order. */
    static String render(List<Fortune> fortunes) {
        StringBuilder html = new StringBuilder(HEAD.length() + TAIL.length() + 128 * fortunes.size());
        html.append(HEAD);
        for (Fortune fortune : fortunes) {
            html.append("<tr><td>").append(fortune.id()).append("</td><td>");
            escape(fortune.message(), html);
            html.append("</td></tr>");
        }
        return html.append(TAIL).toString();
    }

    /** Appends {@code text} with the five characters that are special in HTML escaped. */
    static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }
}
