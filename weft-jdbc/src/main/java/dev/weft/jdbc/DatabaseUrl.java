package dev.weft.jdbc;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A parsed {@code DATABASE_URL}: the JDBC URL without credentials, the user and password taken
 * from the userinfo, and the host and port for messages. {@link #toString()} never shows the
 * password.
 */
record DatabaseUrl(String jdbcUrl, String user, String password, String host, int port) {

    /** Parses {@code postgres://user:pass@host:port/db?params}, {@code postgresql://…} or {@code jdbc:…}. */
    static DatabaseUrl parse(String text) {
        String s = text.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:")) {
            return jdbc(s);
        }
        if (!lower.startsWith("postgres://") && !lower.startsWith("postgresql://")) {
            throw new IllegalArgumentException("scheme is not postgres://, postgresql:// or jdbc:");
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            // never e.getMessage(): it quotes the whole input, password included
            throw new IllegalArgumentException("not a URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() <= 1) {
            throw new IllegalArgumentException("no database name (postgres://user:password@host:port/database)");
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = "jdbc:postgresql://" + hostPart(uri.getHost()) + ":" + port + path + query;
        return new DatabaseUrl(jdbc, user, password, uri.getHost(), port);
    }

    private static DatabaseUrl jdbc(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql://")) {
            try {
                URI uri = new URI(s.substring("jdbc:".length()));
                String host = uri.getHost() == null ? "localhost" : uri.getHost();
                return new DatabaseUrl(s, null, null, host, uri.getPort() < 0 ? 5432 : uri.getPort());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a JDBC URL");
            }
        }
        if (lower.startsWith("jdbc:h2:")) {
            return new DatabaseUrl(s, null, null, "embedded H2", 0);
        }
        if (lower.length() <= "jdbc:".length() || lower.indexOf(':', 5) < 0) {
            throw new IllegalArgumentException("not a JDBC URL");
        }
        return new DatabaseUrl(s, null, null, Database.mask(s), 0); // no host to name: the masked URL
    }

    private static String hostPart(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code host:port} for messages, or what the URL names when it has no network address. */
    String address() {
        return port == 0 ? host : host + ":" + port;
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + Database.mask(jdbcUrl) + (user == null ? "" : ", user=" + user) + "]";
    }
}
