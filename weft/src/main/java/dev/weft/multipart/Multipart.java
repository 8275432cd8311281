package dev.weft.multipart;

import dev.weft.extract.Extractor;
import java.util.Objects;

/**
 * Extracts a {@code multipart/form-data} body (an HTML form with file inputs): its text fields
 * and uploaded files, read on the request's virtual thread as the body arrives, within the limits
 * of {@link MultipartOptions}.
 *
 * <p>Rejections, each an {@code application/problem+json} answer, the handler not called:
 * another content type, 415 {@link dev.weft.extract.Rejection.UnsupportedMediaType}; no or an
 * invalid boundary, malformed part headers, a body cut before its closing boundary, a field that
 * is not valid text in its charset, 400 {@link dev.weft.extract.Rejection.MalformedMultipart}; a
 * limit of {@link MultipartOptions} passed, 413
 * {@link dev.weft.extract.Rejection.MultipartTooLarge} naming the limit and the part; the whole
 * body past the route's limit, 413 {@link dev.weft.extract.Rejection.PayloadTooLarge}.
 *
 * <p>Fields are decoded as UTF-8 unless their part names another charset, or the form has a
 * {@code _charset_} field (which HTML forms fill in with the charset they used) naming one.
 * Parts larger than {@code memoryThresholdBytes} go to a temporary file, which is deleted when the
 * handler returns or throws, and at once when the body is refused or the client goes away.
 *
 * <p>The whole body is read before the handler runs; the memory it takes is bounded by
 * {@code memoryThresholdBytes} per part (the rest is on disk), not by the file sizes. Weft
 * offers no part-by-part stream of a multipart body: the decoder it uses (Netty's) completes a
 * part before handing it over.
 *
 * {@snippet class=dev.weft.multipart.MultipartExamples region=upload}
 */
public final class Multipart {
    private Multipart() {}

    /** The form, with the default limits. */
    public static Extractor<MultipartForm> form() {
        return form(MultipartOptions.defaults());
    }

    /** The form, with {@code options}. */
    public static Extractor<MultipartForm> form(MultipartOptions options) {
        Objects.requireNonNull(options, "options");
        return request -> MultipartReader.read(request, options);
    }
}
