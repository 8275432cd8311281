package dev.weft.files;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code content-type} of a file, from its extension. Text types carry {@code charset=utf-8}
 * (a static site is written in UTF-8; a browser left to guess may pick another charset). Unknown
 * extensions are {@code application/octet-stream}: a browser downloads such a file instead of
 * sniffing it into HTML.
 */
final class MediaTypes {
    private MediaTypes() {}

    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> m = new HashMap<>();
        m.put("html", "text/html");
        m.put("htm", "text/html");
        m.put("css", "text/css");
        m.put("js", "text/javascript"); // RFC 9239
        m.put("mjs", "text/javascript");
        m.put("txt", "text/plain");
        m.put("csv", "text/csv");
        m.put("md", "text/markdown");
        m.put("xml", "text/xml");
        m.put("ics", "text/calendar");
        m.put("json", "application/json");
        m.put("map", "application/json");
        m.put("webmanifest", "application/manifest+json");
        m.put("jsonld", "application/ld+json");
        m.put("wasm", "application/wasm");
        m.put("pdf", "application/pdf");
        m.put("zip", "application/zip");
        m.put("gz", "application/gzip");
        m.put("svg", "image/svg+xml");
        m.put("png", "image/png");
        m.put("jpg", "image/jpeg");
        m.put("jpeg", "image/jpeg");
        m.put("gif", "image/gif");
        m.put("webp", "image/webp");
        m.put("avif", "image/avif");
        m.put("ico", "image/vnd.microsoft.icon");
        m.put("bmp", "image/bmp");
        m.put("woff", "font/woff");
        m.put("woff2", "font/woff2");
        m.put("ttf", "font/ttf");
        m.put("otf", "font/otf");
        m.put("mp4", "video/mp4");
        m.put("webm", "video/webm");
        m.put("ogv", "video/ogg");
        m.put("mp3", "audio/mpeg");
        m.put("ogg", "audio/ogg");
        m.put("oga", "audio/ogg");
        m.put("wav", "audio/wav");
        m.put("flac", "audio/flac");
        return Map.copyOf(m);
    }

    /** The type of {@code fileName} in {@code table} (extension, lower case, without the dot). */
    static String of(String fileName, Map<String, String> table) {
        int dot = fileName.lastIndexOf('.');
        String type = dot < 0 ? null : table.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return "application/octet-stream";
        }
        return withCharset(type);
    }

    /** {@code type} with {@code charset=utf-8} if it is a text type without parameters. */
    static String withCharset(String type) {
        return type.startsWith("text/") && type.indexOf(';') < 0 ? type + "; charset=utf-8" : type;
    }
}
