package peer.common;

import java.util.List;

/** A row of the fortune table, and the TechEmpower fortunes page built from a sorted list. */
public record Fortune(int id, String message) {

    /**
     * Renders the page by hand: what a precompiled template (Rocker, JTE) compiles to, so the
     * template engine does not decide the comparison between peers.
     */
    public static String html(List<Fortune> fortunes) {
        StringBuilder out = new StringBuilder(1200);
        out.append("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
                + "<tr><th>id</th><th>message</th></tr>");
        for (Fortune f : fortunes) {
            out.append("<tr><td>").append(f.id()).append("</td><td>");
            escape(f.message(), out);
            out.append("</td></tr>");
        }
        return out.append("</table></body></html>").toString();
    }

    private static void escape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
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
