package dev.weft.internal.netty;

import dev.weft.internal.http.ContentLength;
import dev.weft.internal.http.PercentDecoder;
import dev.weft.response.Status;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.OptionalLong;

/**
 * The checks of an HTTP/1.x request head that Netty's decoder leaves to the server, in order:
 * the version, {@code maxHeaderCount}, {@code Host}, {@code Transfer-Encoding}, {@code Expect},
 * {@code Content-Length} and the target's encoding. Pure: tested on plain request objects.
 *
 * @param refusal why the request is refused (answered, then the connection closes), or null
 * @param version the version to answer with: the highest we conform to, never an unknown 1.x (RFC 9110 §6.2)
 * @param target the request target, its raw bytes taken as UTF-8
 * @param declared the declared {@code content-length}, if any
 * @param chunked whether the body is chunked
 * @param continueExpected whether the client waits for {@code 100 Continue} (never for HTTP/1.0)
 * @param keepAlive whether the client asked to keep the connection
 */
record Http1RequestHead(Refusal refusal, HttpVersion version, String target, OptionalLong declared, boolean chunked,
        boolean continueExpected, boolean keepAlive) {

    /** The status and client-safe detail of a refused head. */
    record Refusal(Status status, String detail) {}

    /** Whether a body follows the head. */
    boolean hasBody() {
        return chunked || declared.orElse(0) > 0;
    }

    static Http1RequestHead check(HttpRequest request, int maxHeaderCount) {
        HttpVersion requested = request.protocolVersion();
        if (requested.majorVersion() != 1) {
            return refused(Status.HTTP_VERSION_NOT_SUPPORTED, "only HTTP/1.x is served on this connection");
        }
        boolean http10 = requested.minorVersion() == 0;
        HttpHeaders headers = request.headers();
        if (headers.size() > maxHeaderCount) {
            return refused(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request has more than " + maxHeaderCount
                    + " header fields");
        }
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (!http10 && hosts.size() != 1) {
            // RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host header.
            return refused(Status.BAD_REQUEST, "an HTTP/1.1 request needs exactly one Host header");
        }
        if (hosts.size() > 1 || (hosts.size() == 1 && !hosts.getFirst().isEmpty() && !Authority.isValid(hosts.getFirst()))) {
            // One host[:port]: no list, userinfo, path or non-numeric port (empty is allowed, RFC 9112 §3.2).
            return refused(Status.BAD_REQUEST, "the host header is not one host[:port]");
        }
        String transferEncoding = headers.get(HttpHeaderNames.TRANSFER_ENCODING);
        if (transferEncoding != null) {
            if (http10 || headers.getAll(HttpHeaderNames.TRANSFER_ENCODING).size() != 1) {
                return refused(Status.BAD_REQUEST, "this transfer-encoding framing is not allowed");
            }
            if (!transferEncoding.trim().equalsIgnoreCase("chunked")) {
                return refused(Status.NOT_IMPLEMENTED, "only the chunked transfer-coding is supported");
            }
        }
        HandlerStart.Expectation expect = HandlerStart.Expectation.of(headers.get(HttpHeaderNames.EXPECT));
        if (expect == HandlerStart.Expectation.UNSUPPORTED) {
            return refused(Status.EXPECTATION_FAILED, HandlerStart.Expectation.REFUSAL);
        }
        OptionalLong declared = OptionalLong.empty();
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null) {
            try {
                declared = OptionalLong.of(ContentLength.parse(length));
            } catch (NumberFormatException e) {
                return refused(Status.BAD_REQUEST, ContentLength.REFUSAL);
            }
        }
        String target = PercentDecoder.latin1Target(request.uri());
        if (target == null) {
            return refused(Status.BAD_REQUEST, "the request target is not valid UTF-8");
        }
        // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request is ignored (no 1xx to 1.0).
        boolean continueExpected = expect == HandlerStart.Expectation.CONTINUE && !http10;
        return new Http1RequestHead(null, http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1, target, declared,
                transferEncoding != null, continueExpected, HttpUtil.isKeepAlive(request));
    }

    private static Http1RequestHead refused(Status status, String detail) {
        return new Http1RequestHead(new Refusal(status, detail), null, null, OptionalLong.empty(), false, false, false);
    }
}
