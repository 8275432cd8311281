package dev.weft.files;

import dev.weft.extract.Extractor;
import dev.weft.extract.RouteShape;
import dev.weft.http.Headers;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.BodyOutput;
import dev.weft.response.BodyWriter;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import dev.weft.routing.InvalidRouteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The request side of {@link StaticFiles}: from a request to a file response (or 304, 404, 412,
 * 416 …). One value per built handler, shared by every request. Runs on the request's virtual
 * thread; looks files up with blocking calls.
 */
final class FileServer {
    private static final String ALLOW = "GET, HEAD";

    /** What serves: a directory tree (from the route's catch-all or the fallback's rest) or one file. */
    enum Mode { TREE, SINGLE }

    /** Precompressed codings in the server's order of preference, with the suffix of their siblings. */
    static final Map<String, String> SUFFIXES = Map.of("zstd", ".zst", "br", ".br", "gzip", ".gz");

    private final Source source;
    private final Mode mode;
    /** In SINGLE mode, the file; in TREE mode unused. */
    private final List<String> single;
    private final String index;
    private final boolean redirectDirectories;
    private final Status redirectStatus;
    private final List<String> precompressed;
    private final String cacheControl;
    private final Pattern fingerprint;
    private final String immutableCacheControl;
    private final List<String> spaFallback;
    private final Set<String> allowedHidden;
    private final Map<String, String> mediaTypes;
    private final int maxRanges;
    private final String description;

    FileServer(Source source, Mode mode, List<String> single, String index, boolean redirectDirectories,
            Status redirectStatus, List<String> precompressed, String cacheControl, Pattern fingerprint,
            String immutableCacheControl, List<String> spaFallback, Set<String> allowedHidden,
            Map<String, String> mediaTypes, int maxRanges, String description) {
        this.source = source;
        this.mode = mode;
        this.single = single;
        this.index = index;
        this.redirectDirectories = redirectDirectories;
        this.redirectStatus = redirectStatus;
        this.precompressed = precompressed;
        this.cacheControl = cacheControl;
        this.fingerprint = fingerprint;
        this.immutableCacheControl = immutableCacheControl;
        this.spaFallback = spaFallback;
        this.allowedHidden = allowedHidden;
        this.mediaTypes = mediaTypes;
        this.maxRanges = maxRanges;
        this.description = description;
    }

    /** The handler's one "extractor": hands the request over, and checks the route when the router is built. */
    Extractor<Request> extractor() {
        return new Extractor<>() {
            @Override
            public Request extract(Request request) {
                return request;
            }

            @Override
            public void verify(RouteShape route) {
                FileServer.this.verify(route);
            }
        };
    }

    private void verify(RouteShape route) {
        String method = route.method();
        if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("*")) {
            throw new InvalidRouteException(route.describe() + ": " + description + " serves GET and HEAD only;"
                    + " register it with get(...) or as a fallback");
        }
        if (mode == Mode.TREE && !method.equals("*") && catchAll(route.pattern()) == null
                && !route.pattern().endsWith("/")) {
            throw new InvalidRouteException(route.describe() + ": " + description + " serves a directory tree and needs"
                    + " the rest of the path: end the pattern with a catch-all, e.g. '" + suggest(route.pattern())
                    + "', or use it as a fallback; for one file use StaticFiles.file(...)");
        }
    }

    private static String suggest(String pattern) {
        return pattern.endsWith("/") ? pattern + "{*path}" : pattern + "/{*path}";
    }

    /** The name of the catch-all ending {@code pattern}, or null. */
    private static String catchAll(String pattern) {
        int open = pattern.lastIndexOf("/{*");
        if (open < 0 || !pattern.endsWith("}") || pattern.indexOf('/', open + 1) >= 0) {
            return null;
        }
        return pattern.substring(open + 3, pattern.length() - 1);
    }

    /** Answers {@code request}. Never throws for any input: every refusal is a response. */
    Response serve(Request request) throws IOException {
        Method method = request.method();
        if (!method.equals(Method.GET) && !method.equals(Method.HEAD)) {
            // Only reached as a fallback: on a route the router answers other methods itself.
            if (method.equals(Method.OPTIONS)) {
                return Response.of(Status.NO_CONTENT).withHeader("allow", ALLOW);
            }
            return Problem.of(Status.METHOD_NOT_ALLOWED, "method " + method + " is not allowed here")
                    .with("allow", ALLOW).toResponse().withHeader("allow", ALLOW);
        }
        if (mode == Mode.SINGLE) {
            Source.Found found = source.find(single, "");
            if (found instanceof Source.File file) {
                return send(request, single, file);
            }
            return missing("the file is not available");
        }
        RequestPath path;
        try {
            path = RequestPath.parse(rest((ServerRequest) request), allowedHidden);
        } catch (RequestPath.RefusedException e) {
            RequestPath.Refusal refusal = e.refusal;
            return refusal.malformed()
                    ? Problem.of(Status.BAD_REQUEST, refusal.reason()).toResponse()
                    : missing(null); // refused, not looked up: no SPA fallback for probes
        }
        boolean asksForDirectory = request.path().endsWith("/");
        Source.Found found = source.find(path.names(), "");
        switch (found) {
            case Source.Directory d -> {
                if (!asksForDirectory) {
                    return redirectDirectories ? redirect(request) : notFound(request);
                }
                if (index != null) {
                    List<String> names = append(path.names(), index);
                    if (source.find(names, "") instanceof Source.File file) {
                        return send(request, names, file);
                    }
                }
                return notFound(request);
            }
            case Source.File file -> {
                if (asksForDirectory && !path.names().isEmpty()) {
                    return notFound(request); // "/app.js/" is not app.js
                }
                return send(request, path.names(), file);
            }
            case Source.Missing m -> {
                return notFound(request);
            }
        }
    }

    /** The raw, undecoded rest of the path this handler serves, without a leading slash. */
    private static String rest(ServerRequest request) {
        String pattern = request.matchedPath().orElse(null);
        if (pattern != null) {
            String name = catchAll(pattern);
            return name == null ? "" : request.rawPathParam(name).orElse("");
        }
        String path = request.path(); // a fallback: skip its router's prefix
        int at = 0;
        for (int i = 0; i < request.mountSegments() && at >= 0; i++) {
            at = path.indexOf('/', at + 1);
        }
        if (at < 0) {
            return "";
        }
        return path.substring(at + 1);
    }

    private static List<String> append(List<String> names, String name) {
        List<String> more = new ArrayList<>(names);
        more.add(name);
        return more;
    }

    /**
     * The directory was asked for without its trailing slash: redirect to it with the slash, the
     * query kept. The location is relative (the last segment plus {@code /}), so it stays right
     * under any prefix a nest, or a proxy that strips one, puts in front.
     */
    private Response redirect(Request request) {
        String path = request.path();
        String last = path.substring(path.lastIndexOf('/') + 1);
        String location = (last.isEmpty() ? "." : last) + "/" + request.rawQuery().map(q -> "?" + q).orElse("");
        return Response.of(redirectStatus).withHeader("location", location);
    }

    private Response notFound(Request request) throws IOException {
        if (spaFallback != null && acceptsHtml(request) && source.find(spaFallback, "") instanceof Source.File file) {
            return send(request, spaFallback, file);
        }
        return missing(null);
    }

    private static Response missing(String detail) {
        return Problem.of(Status.NOT_FOUND, detail == null ? "no file at this path" : detail).toResponse();
    }

    /** Whether the client (a browser navigating) takes HTML: {@code Accept} lists {@code text/html} with q above 0. */
    private static boolean acceptsHtml(Request request) {
        for (String accept : request.headers().all("accept")) {
            for (String range : accept.split(",")) {
                String[] parts = range.split(";");
                if (!parts[0].strip().equalsIgnoreCase("text/html")) {
                    continue;
                }
                boolean zero = false;
                for (int i = 1; i < parts.length; i++) {
                    String param = parts[i].strip().toLowerCase(Locale.ROOT).replace(" ", "");
                    zero |= param.matches("q=0(\\.0{0,3})?");
                }
                if (!zero) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Sends {@code file} (found at {@code names}), or a precompressed sibling, honouring conditions and ranges. */
    private Response send(Request request, List<String> names, Source.File file) throws IOException {
        String name = names.isEmpty() ? "" : names.getLast();
        String contentType = MediaTypes.of(name, mediaTypes);
        String coding = null;
        Source.File chosen = file;
        List<String> acceptEncoding = request.headers().all("accept-encoding");
        if (!precompressed.isEmpty() && !acceptEncoding.isEmpty() && !names.isEmpty()) {
            for (String candidate : AcceptEncoding.acceptable(acceptEncoding, precompressed)) {
                if (source.find(names, SUFFIXES.get(candidate)) instanceof Source.File variant) {
                    chosen = variant;
                    coding = candidate;
                    break;
                }
            }
        }
        Headers.Builder headers = Headers.builder()
                .add("etag", chosen.etag())
                .add("cache-control", fingerprint.matcher(name).find() ? immutableCacheControl : cacheControl);
        if (chosen.modifiedSeconds() >= 0) {
            headers.add("last-modified", Preconditions.format(chosen.modifiedSeconds()));
        }
        if (!precompressed.isEmpty()) {
            headers.add("vary", "accept-encoding");
        }
        Headers requestHeaders = request.headers();
        switch (Preconditions.evaluate(requestHeaders, chosen.etag(), chosen.modifiedSeconds())) {
            case FAILED -> {
                return Problem.of(Status.PRECONDITION_FAILED, "the file does not match the request's preconditions")
                        .toResponse().withHeader("etag", chosen.etag());
            }
            case NOT_MODIFIED -> {
                return Response.of(Status.NOT_MODIFIED, headers.build(), ResponseBody.EMPTY);
            }
            case PROCEED -> { }
        }
        headers.add("accept-ranges", "bytes");
        if (coding != null) {
            headers.add("content-encoding", coding);
        }
        long size = chosen.size();
        String range = request.method().equals(Method.GET) ? requestHeaders.first("range").orElse(null) : null;
        ByteRanges.Outcome outcome = range == null || !Preconditions.rangeApplies(requestHeaders, chosen.etag(),
                chosen.modifiedSeconds()) ? ByteRanges.WHOLE : ByteRanges.resolve(range, size, maxRanges);
        return switch (outcome) {
            case ByteRanges.Whole w -> Response.of(Status.OK, headers.add("content-type", contentType).build(),
                    new ResponseBody.Streaming(chosen.content().slice(0, size), size));
            case ByteRanges.Unsatisfiable u -> Problem.of(Status.RANGE_NOT_SATISFIABLE,
                    "no requested range overlaps the file's " + size + " bytes").toResponse()
                    .withHeader("content-range", "bytes */" + size);
            case ByteRanges.Partial p when p.slices().size() == 1 -> {
                ByteRanges.Slice slice = p.slices().getFirst();
                headers.add("content-type", contentType)
                        .add("content-range", "bytes " + slice.first() + "-" + slice.last() + "/" + size);
                yield Response.of(Status.PARTIAL_CONTENT, headers.build(),
                        new ResponseBody.Streaming(chosen.content().slice(slice.first(), slice.length()), slice.length()));
            }
            case ByteRanges.Partial p -> {
                Multipart body = new Multipart(chosen.content(), p.slices(), contentType, size);
                headers.add("content-type", "multipart/byteranges; boundary=" + body.boundary);
                yield Response.of(Status.PARTIAL_CONTENT, headers.build(), new ResponseBody.Streaming(body, body.length));
            }
        };
    }

    /** A {@code multipart/byteranges} body (RFC 9110 §14.6) of several slices, its length known before it is written. */
    static final class Multipart implements BodyWriter {
        final String boundary;
        final long length;
        private final Source.Content content;
        private final List<ByteRanges.Slice> slices;
        private final List<byte[]> heads = new ArrayList<>();
        private final byte[] end;

        Multipart(Source.Content content, List<ByteRanges.Slice> slices, String contentType, long size) {
            this.content = content;
            this.slices = slices;
            this.boundary = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE)
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
            long total = 0;
            for (int i = 0; i < slices.size(); i++) {
                ByteRanges.Slice slice = slices.get(i);
                byte[] head = ((i == 0 ? "" : "\r\n") + "--" + boundary + "\r\ncontent-type: " + contentType
                        + "\r\ncontent-range: bytes " + slice.first() + "-" + slice.last() + "/" + size + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
                heads.add(head);
                total += head.length + slice.length();
            }
            this.end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
            this.length = total + end.length;
        }

        @Override
        public void writeTo(BodyOutput out) throws IOException {
            for (int i = 0; i < slices.size(); i++) {
                ByteRanges.Slice slice = slices.get(i);
                out.write(heads.get(i));
                content.slice(slice.first(), slice.length()).writeTo(out);
            }
            out.write(end);
        }
    }
}
