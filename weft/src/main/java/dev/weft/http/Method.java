package dev.weft.http;

import java.util.Objects;

/**
 * An HTTP request method. Method names are case-sensitive (RFC 9110 §9.1), so {@code get} is an
 * extension method, not {@link #GET}.
 *
 * @param name the method token as sent on the wire
 */
public record Method(String name) {
    public static final Method GET = new Method("GET");
    public static final Method HEAD = new Method("HEAD");
    public static final Method POST = new Method("POST");
    public static final Method PUT = new Method("PUT");
    public static final Method PATCH = new Method("PATCH");
    public static final Method DELETE = new Method("DELETE");
    public static final Method OPTIONS = new Method("OPTIONS");
    public static final Method TRACE = new Method("TRACE");
    public static final Method CONNECT = new Method("CONNECT");

    /**
     * Validates the token.
     *
     * @throws IllegalArgumentException if {@code name} is empty or holds a character that is not
     *     an RFC 9110 token character
     */
    public Method {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an HTTP method must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Tokens.isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("'" + name + "' is not a valid HTTP method token");
            }
        }
    }

    /** Returns the shared constant for a standard method, or a new value for an extension method. */
    public static Method of(String name) {
        return switch (name) {
            case "GET" -> GET;
            case "HEAD" -> HEAD;
            case "POST" -> POST;
            case "PUT" -> PUT;
            case "PATCH" -> PATCH;
            case "DELETE" -> DELETE;
            case "OPTIONS" -> OPTIONS;
            case "TRACE" -> TRACE;
            case "CONNECT" -> CONNECT;
            default -> new Method(name);
        };
    }

    // equals and hashCode are written out (final, as a record's are) and mean what a record's
    // would. A record's are bootstrapped through invokedynamic (ObjectMethods) on first use: tens
    // of milliseconds of method-handle spinning at startup, which a JDK AOT cache does not keep,
    // and routing calls them while the first router is built.
    @Override
    public final boolean equals(Object other) {
        return other instanceof Method that && name.equals(that.name);
    }

    @Override
    public final int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
