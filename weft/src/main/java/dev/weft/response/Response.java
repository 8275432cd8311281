package dev.weft.response;

import dev.weft.http.Headers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An immutable HTTP response: status, headers and body.
 *
 * <p>Factories cover the common cases; the {@code with…} methods return modified copies, which is
 * how middleware decorates a response:
 *
 * {@snippet class=dev.weft.response.ResponseExamples region=with}
 *
 * <p>Header names and values are validated when set: a value holding CR or LF throws
 * {@link IllegalArgumentException} instead of reaching the wire.
 */
public final class Response implements IntoResponse {
    public static final String TEXT_UTF8 = "text/plain; charset=utf-8";
    public static final String HTML_UTF8 = "text/html; charset=utf-8";
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String OCTET_STREAM = "application/octet-stream";
    /** JSON lines (one JSON value per line), as written by {@link #ndjson(Stream)}. */
    public static final String NDJSON = "application/x-ndjson";

    private static final Response NO_CONTENT = new Response(Status.NO_CONTENT, Headers.empty(), ResponseBody.EMPTY);
    // Headers are immutable, so the common content types are built once and shared.
    private static final Headers TEXT_HEADERS = Headers.of("content-type", TEXT_UTF8);
    private static final Headers HTML_HEADERS = Headers.of("content-type", HTML_UTF8);
    private static final Headers JSON_HEADERS = Headers.of("content-type", JSON);
    private static final Headers PROBLEM_HEADERS = Headers.of("content-type", PROBLEM_JSON);
    private static final Headers OCTET_HEADERS = Headers.of("content-type", OCTET_STREAM);

    private final Status status;
    private final Headers headers;
    private final ResponseBody body;

    private Response(Status status, Headers headers, ResponseBody body) {
        this.status = Objects.requireNonNull(status, "status");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
    }

    /** A response with {@code status}, no headers and no body. */
    public static Response of(Status status) {
        return new Response(status, Headers.empty(), ResponseBody.EMPTY);
    }

    /** A response with {@code status}, {@code headers} and {@code body}. */
    public static Response of(Status status, Headers headers, ResponseBody body) {
        return new Response(status, headers, body);
    }

    /** {@code 200 OK} with no body. */
    public static Response ok() {
        return of(Status.OK);
    }

    /** {@code 204 No Content}: what a handler returns when it has nothing to say. */
    public static Response noContent() {
        return NO_CONTENT;
    }

    /** {@code 404 Not Found} as a problem+json body. */
    public static Response notFound() {
        return Problem.of(Status.NOT_FOUND, "no resource at this path").toResponse();
    }

    /** {@code 200} with {@code text/plain; charset=utf-8}. */
    public static Response text(String text) {
        return text(Status.OK, text);
    }

    /** {@code status} with {@code text/plain; charset=utf-8}. */
    public static Response text(Status status, String text) {
        return withType(status, TEXT_UTF8, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code 200} with {@code text/html; charset=utf-8}. The caller is responsible for escaping. */
    public static Response html(String html) {
        return withType(Status.OK, HTML_UTF8, html.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code 200} with {@code value} encoded as {@code application/json} when sent. */
    public static Response json(Object value) {
        return json(Status.OK, value);
    }

    /** {@code status} with {@code value} encoded as {@code application/json} when sent. */
    public static Response json(Status status, Object value) {
        return new Response(status, JSON_HEADERS, new ResponseBody.Json(value));
    }

    /** {@code 201 Created} with a {@code Location} header and {@code value} as JSON. */
    public static Response created(String location, Object value) {
        return json(Status.CREATED, value).withHeader("location", location);
    }

    /** {@code 200} with {@code application/octet-stream}. The array is not copied. */
    public static Response bytes(byte[] bytes) {
        return withType(Status.OK, OCTET_STREAM, bytes);
    }

    /** {@code status} with bytes of the given content type. The array is not copied. */
    public static Response bytes(Status status, String contentType, byte[] bytes) {
        return withType(status, contentType, bytes);
    }

    /**
     * {@code 200} with a body that {@code writer} produces while it is sent, of unknown length
     * (chunked on HTTP/1.1). See {@link BodyWriter} for when it runs and how failures end.
     */
    public static Response stream(String contentType, BodyWriter writer) {
        return streaming(contentType, new ResponseBody.Streaming(writer, -1));
    }

    /**
     * {@code 200} with the bytes of {@code in}, copied as the client reads them and closed at the
     * end (or unread when the body is not sent, e.g. for {@code HEAD}).
     */
    public static Response stream(String contentType, InputStream in) {
        return streaming(contentType, new ResponseBody.Streaming(Writers.copying(in), -1));
    }

    /**
     * Like {@link #stream(String, InputStream)} for a body of exactly {@code length} bytes, sent
     * with {@code content-length}. If {@code in} ends early or has more, the body is cut off.
     */
    public static Response stream(String contentType, long length, InputStream in) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be zero or more, got " + length);
        }
        return streaming(contentType, new ResponseBody.Streaming(Writers.copying(in), length));
    }

    /**
     * {@code 200} sending each element of {@code chunks} as soon as the iterator yields it (each
     * is flushed). An iterator that is also {@link AutoCloseable} is closed at the end.
     */
    public static Response chunks(String contentType, Iterator<byte[]> chunks) {
        return streaming(contentType, new ResponseBody.Streaming(
                Writers.chunks(chunks, Writers.resourceOf(chunks)), -1));
    }

    /** Like {@link #chunks(String, Iterator)}; the stream is closed at the end or when discarded. */
    public static Response chunks(String contentType, Stream<byte[]> chunks) {
        return streaming(contentType, new ResponseBody.Streaming(
                Writers.chunks(chunks.iterator(), chunks), -1));
    }

    /**
     * {@code 200} with {@code application/x-ndjson}: each element encoded as JSON on its own line,
     * produced as the client reads (a database cursor need not fit in memory). The stream is
     * closed at the end or when the body is not sent.
     *
     * <p>Live: a line that has waited 5 ms is sent even if the buffer is not full, so a slow
     * producer (a blocking queue, a feed) reaches the client line by line, while a fast one still
     * goes out in 16 KiB chunks (at most one extra flush per 5 ms, never one per line).
     *
     * {@snippet class=dev.weft.response.ResponseExamples region=live-ndjson}
     */
    public static Response ndjson(Stream<?> items) {
        return streaming(NDJSON, new ResponseBody.Streaming(
                Writers.jsonLines(items.iterator(), items), -1));
    }

    /** Like {@link #ndjson(Stream)}; an iterator that is also {@link AutoCloseable} is closed at the end. */
    public static Response ndjson(Iterator<?> items) {
        return streaming(NDJSON, new ResponseBody.Streaming(Writers.jsonLines(items, Writers.resourceOf(items)), -1));
    }

    /**
     * {@code 200} with {@code application/json}: the elements as one JSON array, written one by
     * one, sent as {@link #ndjson(Stream)} is (what waited 5 ms goes out), so a slow source keeps
     * the connection moving rather than silent until a proxy's idle timeout.
     */
    public static Response jsonArray(Stream<?> items) {
        return streaming(JSON, new ResponseBody.Streaming(
                Writers.jsonArray(items.iterator(), items), -1));
    }

    private static Response streaming(String contentType, ResponseBody.Streaming body) {
        return new Response(Status.OK, headersFor(contentType), body);
    }

    /** An RFC 9457 problem response: {@code status} with {@code detail}. */
    public static Response problem(Status status, String detail) {
        return Problem.of(status, detail).toResponse();
    }

    private static Response withType(Status status, String contentType, byte[] bytes) {
        return new Response(status, headersFor(contentType), new ResponseBody.Bytes(bytes));
    }

    private static Headers headersFor(String contentType) {
        return switch (Objects.requireNonNull(contentType, "contentType")) {
            case TEXT_UTF8 -> TEXT_HEADERS;
            case HTML_UTF8 -> HTML_HEADERS;
            case JSON -> JSON_HEADERS;
            case PROBLEM_JSON -> PROBLEM_HEADERS;
            case OCTET_STREAM -> OCTET_HEADERS;
            default -> Headers.of("content-type", contentType);
        };
    }

    public Status status() {
        return status;
    }

    public Headers headers() {
        return headers;
    }

    /** The first value of header {@code name}. */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    public ResponseBody body() {
        return body;
    }

    /** A copy with another status. */
    public Response withStatus(Status newStatus) {
        return new Response(newStatus, headers, body);
    }

    /** A copy where header {@code name} has exactly one value, {@code value}. */
    public Response withHeader(String name, String value) {
        return new Response(status, Headers.builder().addAll(headers).set(name, value).build(), body);
    }

    /** A copy with one more {@code name: value} field, keeping existing ones (for {@code set-cookie}, {@code vary} …). */
    public Response withAddedHeader(String name, String value) {
        return new Response(status, Headers.builder().addAll(headers).add(name, value).build(), body);
    }

    /** A copy without any field called {@code name}. */
    public Response withoutHeader(String name) {
        return new Response(status, Headers.builder().addAll(headers).remove(name).build(), body);
    }

    /** A copy with another body; headers, including {@code content-type}, are kept. */
    public Response withBody(ResponseBody newBody) {
        return new Response(status, headers, newBody);
    }

    @Override
    public Response toResponse() {
        return this;
    }

    @Override
    public String toString() {
        return "Response[" + status + ", " + headers + ", " + body.getClass().getSimpleName() + "]";
    }
}
