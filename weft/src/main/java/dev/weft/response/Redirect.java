package dev.weft.response;

/**
 * Redirect responses. The target is sent as given in the {@code Location} header; a value
 * holding CR or LF is refused with {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * .post("/login", Form.of(Login.class), login -> Redirect.seeOther("/home"))
 * }</pre>
 */
public final class Redirect {
    private Redirect() {}

    /** {@code 303 See Other}: the client follows with a GET (the classic post/redirect/get). */
    public static Response seeOther(String location) {
        return to(Status.SEE_OTHER, location);
    }

    /** {@code 307 Temporary Redirect}: the client repeats the same method and body. */
    public static Response temporary(String location) {
        return to(Status.TEMPORARY_REDIRECT, location);
    }

    /** {@code 308 Permanent Redirect}: like 307, and caches may remember it. */
    public static Response permanent(String location) {
        return to(Status.PERMANENT_REDIRECT, location);
    }

    private static Response to(Status status, String location) {
        if (location.isEmpty()) {
            throw new IllegalArgumentException("a redirect needs a non-empty location");
        }
        return Response.of(status).withHeader("location", location);
    }
}
