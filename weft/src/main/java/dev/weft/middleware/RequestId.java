package dev.weft.middleware;

import dev.weft.WeftException;
import dev.weft.extract.Extractor;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.extract.RouteShape;
import dev.weft.http.Request;
import dev.weft.internal.extract.LayerChecks;
import dev.weft.internal.http.HttpTokens;
import dev.weft.response.BodyOutput;
import dev.weft.response.BodyWriter;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * Gives every request an id: the client's {@code x-request-id} if it is sane, else a new one. The
 * id goes on the response (unless the handler set that header itself), into the SLF4J MDC under
 * {@code request_id} while the handler runs and while a streamed body is written (restored
 * afterwards, so nothing leaks to the next request on the thread), and to handlers through
 * {@link #extractor()} or {@link #of(Request)}. {@link AccessLog} logs it.
 *
 * {@snippet class=dev.weft.middleware.RequestIdExamples region=request-id}
 *
 * <p>An incoming id is kept only if it is one value of 1 to {@code maxLength} characters from
 * {@code A-Z a-z 0-9 . _ : -}; anything else (spaces, non-ASCII, control or quote characters, too
 * long, empty, or several values) is replaced, because the id ends up in every log line of the
 * request, where a client-chosen value could forge or break lines. Generated ids are 26
 * characters of Crockford base32 (a ULID: 48 bits of milliseconds, then 80 random bits), so they
 * sort by time and never collide in practice.
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code header}</td><td>{@code x-request-id}</td><td>the header read from the request and set on the response</td></tr>
 *     <tr><td>{@code acceptIncoming}</td><td>true</td><td>keep a sane client id; false: always generate (behind no trusted proxy)</td></tr>
 *     <tr><td>{@code maxLength}</td><td>128</td><td>longest incoming id kept (1 to 1024)</td></tr>
 *     <tr><td>{@code mdcKey}</td><td>{@code request_id}</td><td>the MDC key while the handler runs</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Runs on the request's virtual thread. Install it outermost (before {@link AccessLog}), on the
 * root router, so 404s and rejections carry an id too.
 */
public final class RequestId implements Middleware {
    private static final char[] BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    /** The id of a request, kept as an extension; package-private so only this class hands it out. */
    record Assigned(String value) {}

    private final String header;
    private final boolean acceptIncoming;
    private final int maxLength;
    private final String mdcKey;

    private RequestId(Builder b) {
        this.header = b.header.toLowerCase(Locale.ROOT);
        this.acceptIncoming = b.acceptIncoming;
        this.maxLength = b.maxLength;
        this.mdcKey = b.mdcKey;
    }

    /** The layer with every default. */
    public static RequestId create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The request's id, for a handler: {@code RequestId.extractor()}. Without a {@code RequestId}
     * layer around the route the router's {@code build()} fails, naming the route; called by hand
     * where no build can check it, the request is answered 500 (a wiring mistake, logged), never
     * with a made-up id.
     */
    public static Extractor<String> extractor() {
        return new Extractor<>() {
            @Override
            public String extract(Request request) {
                return of(request).orElseThrow(() -> new RejectedException(Rejection.of(
                        Status.INTERNAL_SERVER_ERROR, "the server failed to handle this request"),
                        new IllegalStateException("RequestId.extractor() needs a RequestId layer around the route")));
            }

            @Override
            public void verify(RouteShape route) {
                LayerChecks.requestId(route);
            }
        };
    }

    /** The id the layer gave {@code request}; empty if no {@code RequestId} layer ran. */
    public static Optional<String> of(Request request) {
        return request.extension(Assigned.class).map(Assigned::value);
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        String id = incoming(request);
        if (id == null) {
            id = generate();
        }
        request.putExtension(Assigned.class, new Assigned(id));
        String previous = MDC.get(mdcKey);
        MDC.put(mdcKey, id);
        Response response;
        try {
            response = next.run(request);
        } finally {
            restore(mdcKey, previous);
        }
        if (response.header(header).isEmpty()) {
            response = response.withHeader(header, id);
        }
        if (response.body() instanceof ResponseBody.Streaming streaming) {
            // Written after this method returns (on this thread or another): log lines of the
            // writer carry the id too.
            response = response.withBody(new ResponseBody.Streaming(
                    new WithMdc(streaming.writer(), mdcKey, id), streaming.length()));
        }
        return response;
    }

    @Override
    public String name() {
        return "RequestId";
    }

    @Override
    public Kind kind() {
        return Kind.REQUEST_ID;
    }

    /** The client's id if there is exactly one and it is sane, else null. */
    private String incoming(Request request) {
        if (!acceptIncoming) {
            return null;
        }
        List<String> values = request.headers().all(header);
        if (values.size() != 1) {
            return null;
        }
        String value = values.getFirst();
        return sane(value, maxLength) ? value : null;
    }

    /** Whether {@code value} is 1 to {@code maxLength} characters of {@code A-Za-z0-9._:-}. */
    static boolean sane(String value, int maxLength) {
        int n = value.length();
        if (n == 0 || n > maxLength) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * A new id: a ULID (26 characters of Crockford base32: 48 bits of the current millisecond,
     * then 80 random bits from the thread's generator, which needs no lock).
     */
    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long time = System.currentTimeMillis();
        long high = random.nextLong(); // 16 random bits used
        long low = random.nextLong(); // 64 random bits used
        char[] out = new char[26];
        // 48-bit time → 10 characters (50 bits, the top two zero).
        for (int i = 9; i >= 0; i--) {
            out[i] = BASE32[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits → 16 characters: 16 bits of high, then 64 of low.
        long top = high & 0xFFFF;
        for (int i = 25; i >= 10; i--) {
            out[i] = BASE32[(int) (low & 31)];
            low = (low >>> 5) | ((top & 31) << 59);
            top >>>= 5;
        }
        return new String(out);
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    /** A body writer that runs with the request id in the MDC of whichever thread writes it. */
    private record WithMdc(BodyWriter writer, String key, String id) implements BodyWriter {
        @Override
        public void writeTo(BodyOutput out) throws IOException {
            String previous = MDC.get(key);
            MDC.put(key, id);
            try {
                writer.writeTo(out);
            } finally {
                restore(key, previous);
            }
        }

        @Override
        public void discard() {
            writer.discard();
        }
    }

    /** Options built one by one; {@link #build()} checks them all. */
    public static final class Builder {
        private String header = "x-request-id";
        private boolean acceptIncoming = true;
        private int maxLength = 128;
        private String mdcKey = "request_id";

        private Builder() {}

        /** The header to read and set; default {@code x-request-id}. */
        public Builder header(String name) {
            this.header = name;
            return this;
        }

        /** Whether a sane incoming id is kept (default true); false always generates one. */
        public Builder acceptIncoming(boolean accept) {
            this.acceptIncoming = accept;
            return this;
        }

        /** The longest incoming id kept, 1 to 1024; default 128. */
        public Builder maxLength(int characters) {
            this.maxLength = characters;
            return this;
        }

        /** The MDC key; default {@code request_id}. */
        public Builder mdcKey(String key) {
            this.mdcKey = key;
            return this;
        }

        /**
         * Checks every option at once.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public RequestId build() {
            List<String> problems = new ArrayList<>();
            if (!HttpTokens.isToken(header)) {
                problems.add("header must be an HTTP token (a header name), got " + quoted(header));
            }
            if (maxLength < 1 || maxLength > 1024) {
                problems.add("maxLength must be 1 to 1024, got " + maxLength);
            }
            if (mdcKey == null || mdcKey.isBlank()) {
                problems.add("mdcKey must not be blank, got " + quoted(mdcKey));
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid RequestId options:\n  - " + String.join("\n  - ", problems));
            }
            return new RequestId(this);
        }
    }

    static String quoted(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
