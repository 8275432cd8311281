package dev.weft.routing;

import dev.weft.response.IntoResponse;
import dev.weft.response.Response;
import dev.weft.response.Status;
import java.io.InputStream;
import java.util.Optional;

/** Turns a handler's return value into a response (rules in the {@code dev.weft.response} package doc). */
final class Conversions {
    private Conversions() {}

    static Response toResponse(Object value) {
        return switch (value) {
            case null -> throw new IllegalStateException(
                    "the handler returned null; return Response.noContent() for an empty answer");
            case Response response -> response;
            case IntoResponse into -> {
                Response response = into.toResponse();
                if (response == null) {
                    throw new IllegalStateException(into.getClass().getName() + ".toResponse() returned null");
                }
                yield response;
            }
            case CharSequence text -> Response.text(text.toString());
            case byte[] bytes -> Response.bytes(bytes);
            case InputStream in -> Response.stream(Response.OCTET_STREAM, in);
            case Optional<?> optional -> optional.isPresent() ? toResponse(optional.get()) : Response.notFound();
            case Status status -> Response.of(status);
            default -> Response.json(value);
        };
    }
}
