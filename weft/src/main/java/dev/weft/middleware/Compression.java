package dev.weft.middleware;

import dev.weft.WeftException;
import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.compress.Coding;
import dev.weft.internal.compress.CompressingWriter;
import dev.weft.internal.compress.Encoder;
import dev.weft.internal.compress.Settings;
import dev.weft.internal.http.ServerRequest;
import dev.weft.json.JsonCodec;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compresses responses with the coding the client prefers: {@code zstd}, {@code br} or
 * {@code gzip}. One value holds the settings and is shared by every route it wraps; install it
 * with {@code Router.Builder.layer} (or {@code routeLayer}, {@code Handler.layer}).
 *
 * {@snippet class=dev.weft.middleware.CompressionExamples region=compress}
 *
 * <table class="striped">
 *   <caption>Options</caption>
 *   <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code codings(..)}</td><td>{@code zstd, br, gzip}</td><td>the codings offered, in the
 *       order preferred when the client weighs several alike; a coding whose library or native code
 *       does not load is left out with one warning in the log</td></tr>
 *   <tr><td>{@code gzipLevel}</td><td>6</td><td>1 (fastest) to 9 (smallest)</td></tr>
 *   <tr><td>{@code brotliQuality}</td><td>4</td><td>0 to 11; 11 is very slow, 4 is what nginx uses</td></tr>
 *   <tr><td>{@code zstdLevel}</td><td>3</td><td>1 to 19; the window never exceeds 8 MiB (2^23, what browsers accept)</td></tr>
 *   <tr><td>{@code minBytes}</td><td>1024</td><td>bodies of known length below this are sent as they are
 *       (a body of unknown length, a stream, is compressed)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>Choice.</b> {@code Accept-Encoding} is read as RFC 9110 §12.5.3 says: weights, {@code *},
 * {@code identity;q=0}, case-insensitive names; equal weights go to zstd, then br, then gzip. No
 * header means no compression. When the client refuses identity and accepts none of the offered
 * codings the answer is {@code 406} (problem+json), before the handler runs.
 *
 * <p><b>What is left as it is.</b> Responses to {@code HEAD}; statuses 1xx, 204, 206 and 304; a
 * response with a {@code content-encoding} or {@code content-range}, or with
 * {@code cache-control: no-transform}; content types that are already compressed
 * ({@code image/*} except SVG, {@code audio/*}, {@code video/*}, zip, gzip, bzip2, xz, 7z, rar,
 * zstd, brotli, {@code font/woff}, {@code font/woff2}, {@code *+zip}) and gRPC
 * ({@code application/grpc}, which compresses its own messages); WebSocket upgrades; and routes
 * under {@link #skip()}.
 *
 * <p><b>Headers.</b> Every response that could be compressed gets {@code vary: accept-encoding}
 * (added to an existing {@code vary}, never twice), compressed or not, so caches keep the variants
 * apart. A compressed response gets {@code content-encoding}, loses {@code content-length} (the
 * server frames it anew) and {@code accept-ranges}, and a strong {@code etag} becomes weak
 * ({@code "x"} becomes {@code W/"x"}): the bytes differ from the identity representation's.
 *
 * <p><b>Streams.</b> A streamed body is compressed as it is written, and every flush of the writer
 * (each chunk of {@code Response.chunks}, each event of an event stream, each {@code out.flush()})
 * flushes the compressor (a zlib sync flush, a brotli or zstd flush) and then the connection, so a
 * live stream stays live. A stream's compressor is made per response on its virtual thread (no
 * thread locals) and released when the body ends, fails, is cut off or is never sent; whole zstd
 * bodies reuse a bounded set of idle contexts.
 *
 * <p><b>BREACH.</b> A response that reflects request input (a query parameter, a form field) next
 * to a secret (a CSRF token, a session-bound value) lets an attacker who can make the victim send
 * requests and watch their sizes guess the secret byte by byte from how well it compresses
 * (breachattack.com). Keep such responses uncompressed with {@link #skip()} on their routes, or
 * mask the secret per response (so it never compresses against itself).
 *
 * <p>JSON bodies are encoded with the codec of the router that routed the request, then compressed.
 * Runs on the request's virtual thread.
 */
public final class Compression implements Middleware {
    private static final Set<String> SKIPPED_TYPES = Set.of(
            "application/zip", "application/gzip", "application/x-gzip", "application/x-bzip", "application/x-bzip2",
            "application/x-xz", "application/x-7z-compressed", "application/x-rar-compressed", "application/vnd.rar",
            "application/zstd", "application/x-zstd", "application/x-brotli", "application/x-compress",
            "application/x-compressed", "application/x-zip-compressed", "application/java-archive",
            "application/vnd.android.package-archive", "application/font-woff", "font/woff", "font/woff2",
            "application/grpc");

    private final List<Coding> codings;
    private final Settings settings;
    private final int minBytes;
    private final Response notAcceptable;

    private Compression(Builder builder, List<Coding> codings) {
        this.codings = List.copyOf(codings);
        this.settings = new Settings(builder.gzipLevel, builder.brotliQuality, builder.zstdLevel);
        this.minBytes = builder.minBytes;
        String offered = String.join(", ", this.codings.stream().map(Coding::token).toList());
        this.notAcceptable = Problem.of(Status.NOT_ACCEPTABLE, "none of the content codings this server can send ("
                        + (offered.isEmpty() ? "identity" : offered + ", identity") + ") is acceptable to the client")
                .with("available", offered.isEmpty() ? List.of("identity") : List.of((offered + ", identity").split(", ")))
                .toResponse()
                .withAddedHeader("vary", "accept-encoding");
    }

    /** Compression with the defaults (see the options table). */
    public static Compression create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A layer that keeps the responses of the routes it wraps uncompressed, whatever
     * {@code Compression} layer sits outside it: for responses that mix request input with secrets
     * (see BREACH in the class comment). Their {@code vary: accept-encoding} is not added either.
     *
     * {@snippet class=dev.weft.middleware.CompressionExamples region=skip}
     */
    public static Middleware skip() {
        return SKIP;
    }

    /** The codings this layer can send, preferred first (those that loaded). */
    public List<String> codings() {
        return codings.stream().map(Coding::token).toList();
    }

    @Override
    public String name() {
        return "Compression";
    }

    @Override
    public Kind kind() {
        return Kind.COMPRESSION;
    }

    @Override
    public Response handle(Request request, Next next) throws Exception {
        AcceptEncoding.Choice choice = AcceptEncoding.choose(request.headers().all("accept-encoding"), codings);
        if (choice == AcceptEncoding.Plain.NOT_ACCEPTABLE) {
            return notAcceptable;
        }
        Response response = next.run(request);
        if (!varies(request, response)) {
            return response;
        }
        Response varied = withVary(response);
        if (!(choice instanceof AcceptEncoding.Encode(Coding coding)) || request.method().equals(Method.HEAD)) {
            return varied;
        }
        return compress(varied, coding, codec(request));
    }

    /** Whether the response could be compressed for some client: then it varies on accept-encoding. */
    private static boolean varies(Request request, Response response) {
        if (request.extension(Skipped.class).isPresent()) {
            return false;
        }
        int status = response.status().code();
        if (status < 200 || status == 204 || status == 206 || status == 304) {
            return false;
        }
        ResponseBody body = response.body();
        if (body instanceof ResponseBody.Empty || body instanceof ResponseBody.Upgrade) {
            return false;
        }
        Headers headers = response.headers();
        if (headers.contains("content-encoding") || headers.contains("content-range")) {
            return false;
        }
        for (String value : headers.all("cache-control")) {
            for (String directive : value.split(",")) {
                if (directive.trim().equalsIgnoreCase("no-transform")) {
                    return false;
                }
            }
        }
        return compressibleType(headers.first("content-type").orElse(""));
    }

    /** Whether a body of this type gains from compression (an absent type is given the benefit). */
    static boolean compressibleType(String contentType) {
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (type.startsWith("image/")) {
            return type.equals("image/svg+xml");
        }
        if (type.startsWith("audio/") || type.startsWith("video/")) {
            return false;
        }
        if (type.endsWith("+zip") || type.startsWith("application/grpc+") || type.startsWith("application/grpc;")) {
            return false;
        }
        return !SKIPPED_TYPES.contains(type);
    }

    private static Response withVary(Response response) {
        for (String value : response.headers().all("vary")) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (t.equals("*") || t.equalsIgnoreCase("accept-encoding")) {
                    return response;
                }
            }
        }
        return response.withAddedHeader("vary", "accept-encoding");
    }

    private static JsonCodec codec(Request request) {
        JsonCodec codec = ((ServerRequest) request).json(); // Request is sealed
        return codec != null ? codec : JsonCodec.jackson();
    }

    private Response compress(Response response, Coding coding, JsonCodec codec) {
        ResponseBody body = response.body();
        ResponseBody encoded;
        switch (body) {
            case ResponseBody.Bytes(byte[] bytes) -> {
                if (bytes.length < minBytes) {
                    return response;
                }
                encoded = new ResponseBody.Bytes(encode(coding, bytes));
            }
            case ResponseBody.Json(Object value) -> {
                byte[] bytes = codec.write(value);
                if (bytes.length < minBytes) {
                    return response.withBody(new ResponseBody.Bytes(bytes));
                }
                encoded = new ResponseBody.Bytes(encode(coding, bytes));
            }
            case ResponseBody.Streaming(var writer, long length) -> {
                if (length >= 0 && length < minBytes) {
                    return response;
                }
                encoded = new ResponseBody.Streaming(new CompressingWriter(writer, coding, settings, codec), -1);
            }
            default -> {
                return response;
            }
        }
        Headers.Builder headers = Headers.builder();
        response.headers().forEach((name, value) -> {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "content-length", "accept-ranges" -> { }
                case "etag" -> headers.add(name, value.startsWith("\"") ? "W/" + value : value);
                default -> headers.add(name, value);
            }
        });
        headers.set("content-encoding", coding.token());
        return Response.of(response.status(), headers.build(), encoded);
    }

    private byte[] encode(Coding coding, byte[] bytes) {
        try {
            return Encoder.encode(coding, settings, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: not expected
        }
    }

    /** The request mark {@link #skip()} leaves. */
    private record Skipped() {}

    private static final Skipped SKIPPED = new Skipped();

    private static final Middleware SKIP = new Middleware() {
        @Override
        public Response handle(Request request, Next next) throws Exception {
            request.putExtension(Skipped.class, SKIPPED);
            return next.run(request);
        }

        @Override
        public String name() {
            return "Compression.skip";
        }
    };

    /** Builds a {@link Compression}; {@link #build()} checks every option at once. */
    public static final class Builder {
        private List<String> codingNames = List.of("zstd", "br", "gzip");
        private int gzipLevel = 6;
        private int brotliQuality = 4;
        private int zstdLevel = 3;
        private int minBytes = 1024;

        private Builder() {}

        /** The codings to offer, preferred first among equal client weights: of {@code zstd}, {@code br}, {@code gzip}. */
        public Builder codings(String... names) {
            this.codingNames = List.of(names);
            return this;
        }

        public Builder gzipLevel(int level) {
            this.gzipLevel = level;
            return this;
        }

        public Builder brotliQuality(int quality) {
            this.brotliQuality = quality;
            return this;
        }

        public Builder zstdLevel(int level) {
            this.zstdLevel = level;
            return this;
        }

        /** Bodies of known length below this are not compressed. */
        public Builder minBytes(int bytes) {
            this.minBytes = bytes;
            return this;
        }

        /**
         * Checks every option and probes the codings' native libraries (once per JVM): one that
         * does not load is left out, with one warning in the log.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public Compression build() {
            List<String> problems = new ArrayList<>();
            Set<Coding> chosen = new LinkedHashSet<>();
            for (String name : codingNames) {
                var coding = name == null ? java.util.Optional.<Coding>empty() : Coding.of(name);
                if (coding.isEmpty() || !coding.get().token().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    problems.add("codings: '" + name + "' is not one of zstd, br, gzip");
                } else if (!chosen.add(coding.get())) {
                    problems.add("codings: '" + name + "' is listed twice");
                }
            }
            if (gzipLevel < 1 || gzipLevel > 9) {
                problems.add("gzipLevel must be 1 to 9, got " + gzipLevel);
            }
            if (brotliQuality < 0 || brotliQuality > 11) {
                problems.add("brotliQuality must be 0 to 11, got " + brotliQuality);
            }
            if (zstdLevel < 1 || zstdLevel > 19) {
                problems.add("zstdLevel must be 1 to 19, got " + zstdLevel);
            }
            if (minBytes < 0) {
                problems.add("minBytes must be zero or more, got " + minBytes);
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid Compression options:\n  - " + String.join("\n  - ", problems));
            }
            return new Compression(this, chosen.stream().filter(Coding::available).toList());
        }
    }
}
