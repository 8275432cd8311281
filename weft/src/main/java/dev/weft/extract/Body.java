package dev.weft.extract;

import dev.weft.internal.extract.Requests;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Extracts the raw request body, whatever its content type, within the route's body limit
 * (413 {@link Rejection.PayloadTooLarge} past it). A body sent with a {@code content-encoding}
 * other than {@code identity} is refused ({@link Rejection.UnsupportedContentEncoding}, 415), as
 * by every body extractor: Weft decodes no content coding.
 *
 * {@snippet class=dev.weft.extract.BodyExamples region=bytes}
 */
public final class Body {
    private Body() {}

    /** The whole body as bytes. */
    public static Extractor<byte[]> bytes() {
        return request -> Requests.body(request).bytes();
    }

    /**
     * The whole body as text, decoded with the {@code charset} of its content type (UTF-8 if none).
     * Bytes that are invalid in that charset are rejected with {@link Rejection.InvalidBody} (400),
     * an unknown charset with {@link Rejection.UnsupportedMediaType} (415); nothing is silently
     * replaced.
     */
    public static Extractor<String> string() {
        return request -> {
            String name = Requests.charset(request);
            Charset charset;
            try {
                charset = name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
            } catch (IllegalArgumentException e) {
                throw new RejectedException(new Rejection.UnsupportedMediaType("text with a known charset"));
            }
            byte[] bytes = Requests.body(request).bytes();
            try {
                return charset.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new RejectedException(new Rejection.InvalidBody("is not valid " + charset.name() + " text"));
            }
        };
    }

    /**
     * The body as a stream, read as the handler goes. Reading past the limit throws
     * {@link dev.weft.http.BodyTooLargeException}, which Weft answers with 413.
     */
    public static Extractor<InputStream> stream() {
        return request -> Requests.body(request).stream();
    }
}
