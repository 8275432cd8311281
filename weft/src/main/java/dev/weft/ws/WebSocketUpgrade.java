package dev.weft.ws;

import dev.weft.extract.Extractor;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked WebSocket opening handshake (RFC 6455 §4.2.1), as an extractor: the handler accepts it
 * with {@link #accept(WebSocketHandler)}, which answers {@code 101 Switching Protocols} and runs
 * the session handler on a virtual thread of its own.
 *
 * <p>Put it after the extractors that authenticate or load state: extractors run left to right,
 * so an unauthenticated client gets their 401 as an ordinary HTTP response and the socket is never
 * opened. A request this extractor cannot accept is rejected with
 * {@link Rejection.WebSocketRefused} (problem+json):
 *
 * <ul>
 * <li>426, with {@code upgrade: websocket} and {@code sec-websocket-version: 13}: no
 *     {@code Upgrade: websocket} / {@code Connection: upgrade} (a plain GET), a
 *     {@code Sec-WebSocket-Version} other than 13 (older drafts are never spoken), or HTTP/2
 *     (RFC 8441 is not supported: browsers then use HTTP/1.1);</li>
 * <li>400: a method other than GET, HTTP/1.0, a {@code Sec-WebSocket-Key} that is not the base64
 *     of 16 bytes, or none of {@link WebSocketOptions#protocols()} offered when one is required;</li>
 * <li>403: an {@code Origin} that is neither the server's own nor allowed
 *     ({@link WebSocketOptions.Builder#allowedOrigins}); a request without {@code Origin} (not
 *     from a browser) passes;</li>
 * <li>503 with {@code retry-after}: the server is shutting down (decided when the 101 would be
 *     written).</li>
 * </ul>
 *
 * {@snippet class=dev.weft.ws.WebSocketExamples region=auth}
 */
public final class WebSocketUpgrade {
    private final Request request;
    private final WebSocketOptions options;
    private final String key;
    private final Optional<String> protocol;
    private final List<String> offeredProtocols;
    private final List<String> offeredExtensions;

    private WebSocketUpgrade(Request request, WebSocketOptions options, String key, Optional<String> protocol,
            List<String> offeredProtocols, List<String> offeredExtensions) {
        this.request = request;
        this.options = options;
        this.key = key;
        this.protocol = protocol;
        this.offeredProtocols = offeredProtocols;
        this.offeredExtensions = offeredExtensions;
    }

    /** The extractor with {@link WebSocketOptions#defaults()}. */
    public static Extractor<WebSocketUpgrade> extractor() {
        return extractor(WebSocketOptions.defaults());
    }

    /** The extractor with {@code options} (limits, heartbeat, origins, subprotocols). */
    public static Extractor<WebSocketUpgrade> extractor(WebSocketOptions options) {
        Objects.requireNonNull(options, "options");
        return request -> check(request, options);
    }

    static WebSocketUpgrade check(Request request, WebSocketOptions options) {
        Headers headers = request.headers();
        boolean upgrade = Handshake.listHas(headers, "upgrade", "websocket");
        boolean connection = Handshake.listHas(headers, "connection", "upgrade");
        if (request.protocol().startsWith("HTTP/2")) {
            throw refused(Status.UPGRADE_REQUIRED, "WebSockets over HTTP/2 (RFC 8441) are not supported;"
                    + " open the WebSocket over HTTP/1.1");
        }
        if (!upgrade || !connection) {
            throw refused(Status.UPGRADE_REQUIRED, "this resource is a WebSocket endpoint: send a WebSocket handshake"
                    + " (upgrade: websocket, connection: upgrade, sec-websocket-version: 13)");
        }
        if (!request.method().equals(Method.GET)) {
            throw refused(Status.BAD_REQUEST, "a WebSocket handshake is a GET request");
        }
        if (!"HTTP/1.1".equals(request.protocol())) {
            throw refused(Status.BAD_REQUEST, "a WebSocket handshake needs HTTP/1.1");
        }
        List<String> versions = headers.all("sec-websocket-version");
        if (versions.size() != 1 || !versions.get(0).strip().equals("13")) {
            throw refused(Status.UPGRADE_REQUIRED, "only WebSocket version 13 (RFC 6455) is spoken");
        }
        List<String> keys = headers.all("sec-websocket-key");
        if (keys.size() != 1 || !Handshake.validKey(keys.get(0).strip())) {
            throw refused(Status.BAD_REQUEST, "sec-websocket-key must be the base64 encoding of 16 bytes, sent once");
        }
        Optional<String> origin = request.header("origin");
        if (origin.isPresent() && (headers.all("origin").size() != 1
                || !OriginCheck.allowed(origin.get(), request.header("host"), request.scheme(), options))) {
            throw refused(Status.FORBIDDEN, "WebSocket connections from origin '" + printable(origin.get())
                    + "' are not allowed");
        }
        List<String> offered = Handshake.list(headers, "sec-websocket-protocol");
        for (String p : offered) {
            if (!Handshake.isToken(p)) {
                throw refused(Status.BAD_REQUEST, "sec-websocket-protocol must be a list of tokens");
            }
        }
        Optional<String> chosen = options.protocols().stream().filter(offered::contains).findFirst();
        if (chosen.isEmpty() && options.requireProtocol()) {
            throw refused(Status.BAD_REQUEST, "none of the offered subprotocols is spoken here; this endpoint speaks "
                    + String.join(", ", options.protocols()));
        }
        return new WebSocketUpgrade(request, options, keys.get(0).strip(), chosen, List.copyOf(offered),
                List.copyOf(headers.all("sec-websocket-extensions")));
    }

    private static RejectedException refused(Status status, String detail) {
        return new RejectedException(new Rejection.WebSocketRefused(status, detail));
    }

    /** At most 100 printable ASCII characters of a client's value, for a message that echoes it. */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 100; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    /**
     * Accepts the handshake: returns the {@code 101 Switching Protocols} response, after which
     * {@code handler} runs on a virtual thread of its own. Middleware may add headers to it
     * ({@code set-cookie}); its status and body must stay.
     */
    public Response accept(WebSocketHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Headers.Builder headers = Headers.builder()
                .add("upgrade", "websocket")
                .add("sec-websocket-accept", Handshake.accept(key));
        protocol.ifPresent(p -> headers.add("sec-websocket-protocol", p));
        return Response.of(Status.SWITCHING_PROTOCOLS, headers.build(), new ResponseBody.Upgrade(this, handler));
    }

    /** The subprotocol agreed: the first of {@link WebSocketOptions#protocols()} the client offered. */
    public Optional<String> protocol() {
        return protocol;
    }

    /** The subprotocols the client offered, in its order. */
    public List<String> offeredProtocols() {
        return offeredProtocols;
    }

    /** The {@code Sec-WebSocket-Extensions} fields the client sent (permessage-deflate offers). */
    public List<String> offeredExtensions() {
        return offeredExtensions;
    }

    /** The options of the route. */
    public WebSocketOptions options() {
        return options;
    }

    /** The handshake request. */
    public Request request() {
        return request;
    }
}
