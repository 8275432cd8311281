package dev.weft;

import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import java.nio.charset.StandardCharsets;

/** Reads the body of a response a router returned in memory, for the {@code *Examples} tests. */
public final class TestBodies {
    private TestBodies() {}

    /** The body of a text (or problem) response, decoded as UTF-8. */
    public static String text(Response response) {
        return new String(((ResponseBody.Bytes) response.body()).bytes(), StandardCharsets.UTF_8);
    }

    /** The value of a JSON response, before the server encodes it. */
    public static Object json(Response response) {
        return ((ResponseBody.Json) response.body()).value();
    }
}
