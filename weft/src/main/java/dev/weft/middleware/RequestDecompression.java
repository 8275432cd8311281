package dev.weft.middleware;

import dev.weft.WeftException;
import dev.weft.http.Headers;
import dev.weft.http.Request;
import dev.weft.internal.compress.Coding;
import dev.weft.internal.http.AbstractBody;
import dev.weft.internal.http.Decoding;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.BodyOutput;
import dev.weft.response.BodyWriter;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decodes request bodies sent with {@code content-encoding: gzip}, {@code br} or {@code zstd}, as
 * they are read, so that extractors ({@code Json}, {@code Form}, {@code Body} …) and handlers see
 * the decoded body. Without this layer Weft refuses an encoded body with 415.
 *
 * {@snippet class=dev.weft.middleware.CompressionExamples region=decompress}
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code codings(..)}</td><td>{@code zstd, br, gzip}</td><td>the codings decoded; one whose
 *       library or native code does not load is left out with one warning in the log</td></tr>
 *   <tr><td>{@code maxWireBytes}</td><td>the route's body limit</td><td>the most bytes read as
 *       sent (compressed); past it, 413 naming {@code maxWireBytes}</td></tr>
 *   <tr><td>{@code maxDecodedBytes}</td><td>the route's body limit</td><td>the most bytes once
 *       decoded; past it, 413 naming {@code maxDecodedBytes}. This is what stops a small
 *       "decompression bomb" (10 KiB of gzip that inflates to 1 GiB) after at most this many bytes</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>The limits are resolved when the body is read, after routing, so the route's limit applies
 * whether this layer is a {@code layer} of the root router (it runs before routing) or a
 * {@code routeLayer}.
 *
 * <p><b>Failures.</b> A coding it does not decode: 415 with {@code accept-encoding} listing the
 * codings it does (RFC 9110 §15.5.16), before the handler runs. A body that is truncated, corrupt or
 * not in the coding it claims: 400 ({@code Rejection.InvalidBody}), also when the handler reads
 * the stream itself and lets the failure escape. A limit passed: 413
 * ({@code Rejection.CompressedPayloadTooLarge}). {@code x-gzip} is read as gzip, {@code identity}
 * is ignored, and stacked codings ({@code gzip, br}) are undone in turn (at most three). Zstd
 * frames may follow each other and skippable frames are skipped (only the wire limit counts them);
 * a zstd frame may not ask for a window over 8 MiB. Gzip members may follow each other.
 *
 * <p>Extractors see the request without {@code content-encoding} and {@code content-length} (its
 * decoded length is not known beforehand). Decoder state is released when the body is read to
 * its end, or when the response is done. Runs on the request's virtual thread.
 */
public final class RequestDecompression implements Middleware {
    private static final int MAX_CODINGS = 3;

    private final List<Coding> codings;
    private final long maxWireBytes;
    private final long maxDecodedBytes;
    private final String accepted;

    private RequestDecompression(List<Coding> codings, long maxWireBytes, long maxDecodedBytes) {
        this.codings = List.copyOf(codings);
        this.maxWireBytes = maxWireBytes;
        this.maxDecodedBytes = maxDecodedBytes;
        this.accepted = this.codings.isEmpty() ? "identity"
                : String.join(", ", this.codings.stream().map(Coding::token).toList());
    }

    /** Decompression with the defaults (see the options table). */
    public static RequestDecompression create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The codings this layer decodes (those that loaded). */
    public List<String> codings() {
        return codings.stream().map(Coding::token).toList();
    }

    @Override
    public String name() {
        return "RequestDecompression";
    }

    @Override
    public Kind kind() {
        return Kind.DECOMPRESSION;
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        List<String> values = request.headers().all("content-encoding");
        if (values.isEmpty()) {
            return next.run(request);
        }
        List<Coding> applied = new ArrayList<>(2);
        for (String value : values) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (name.isEmpty() || name.equalsIgnoreCase("identity")) {
                    continue;
                }
                var coding = Coding.of(name);
                if (coding.isEmpty() || !codings.contains(coding.get())) {
                    return unsupported(name.toLowerCase(Locale.ROOT));
                }
                applied.add(coding.get());
            }
        }
        if (applied.isEmpty()) {
            return next.run(request); // identity only: the body is as sent, and its length stands
        }
        if (applied.size() > MAX_CODINGS) {
            return unsupported(String.join(", ", applied.stream().map(Coding::token).toList()));
        }
        ServerRequest server = (ServerRequest) request; // Request is sealed
        Headers.Builder decoded = Headers.builder();
        request.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-encoding") && !name.equalsIgnoreCase("content-length")) {
                decoded.add(name, value);
            }
        });
        server.decodeBody(decoded.build(), new Decoding(applied, maxWireBytes, maxDecodedBytes));
        AbstractBody body = server.rawBody();
        Response response;
        try {
            response = next.run(request);
        } catch (Throwable t) {
            body.release();
            throw t;
        }
        if (response.body() instanceof ResponseBody.Streaming(BodyWriter writer, long length)) {
            // A streamed answer may still read the request body while it is written.
            return response.withBody(new ResponseBody.Streaming(new Releasing(writer, body), length));
        }
        body.release();
        return response;
    }

    private Response unsupported(String coding) {
        return Problem.of(Status.UNSUPPORTED_MEDIA_TYPE, "a request body with content-encoding '" + coding
                        + "' is not accepted; send it as one of: " + accepted + ", or unencoded")
                .with("accept-encoding", accepted)
                .toResponse()
                .withHeader("accept-encoding", accepted);
    }

    /** Releases the request body's decoders once the streamed response is done with it. */
    private record Releasing(BodyWriter inner, AbstractBody body) implements BodyWriter {
        @Override
        public void writeTo(BodyOutput out) throws IOException {
            try {
                inner.writeTo(out);
            } finally {
                body.release();
            }
        }

        @Override
        public void discard() {
            try {
                inner.discard();
            } finally {
                body.release();
            }
        }
    }

    /** Builds a {@link RequestDecompression}; {@link #build()} checks every option at once. */
    public static final class Builder {
        private List<String> codingNames = List.of("zstd", "br", "gzip");
        private long maxWireBytes = -1;
        private long maxDecodedBytes = -1;

        private Builder() {}

        /** The codings to decode: of {@code zstd}, {@code br}, {@code gzip}. */
        public Builder codings(String... names) {
            this.codingNames = List.of(names);
            return this;
        }

        /** The most bytes read as sent; by default the route's body limit. */
        public Builder maxWireBytes(long bytes) {
            this.maxWireBytes = bytes;
            if (bytes < 0) {
                this.maxWireBytes = Long.MIN_VALUE; // reported by build()
            }
            return this;
        }

        /** The most bytes once decoded; by default the route's body limit. */
        public Builder maxDecodedBytes(long bytes) {
            this.maxDecodedBytes = bytes;
            if (bytes < 0) {
                this.maxDecodedBytes = Long.MIN_VALUE;
            }
            return this;
        }

        /**
         * Checks every option and probes the codings' native libraries (once per JVM).
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public RequestDecompression build() {
            List<String> problems = new ArrayList<>();
            List<Coding> chosen = new ArrayList<>();
            for (String name : codingNames) {
                var coding = name == null ? java.util.Optional.<Coding>empty() : Coding.of(name);
                if (coding.isEmpty() || !coding.get().token().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    problems.add("codings: '" + name + "' is not one of zstd, br, gzip");
                } else if (chosen.contains(coding.get())) {
                    problems.add("codings: '" + name + "' is listed twice");
                } else {
                    chosen.add(coding.get());
                }
            }
            if (maxWireBytes == Long.MIN_VALUE || maxWireBytes == 0) {
                problems.add("maxWireBytes must be positive");
            }
            if (maxDecodedBytes == Long.MIN_VALUE || maxDecodedBytes == 0) {
                problems.add("maxDecodedBytes must be positive");
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid RequestDecompression options:\n  - " + String.join("\n  - ", problems));
            }
            return new RequestDecompression(chosen.stream().filter(Coding::available).toList(), maxWireBytes,
                    maxDecodedBytes);
        }
    }
}
