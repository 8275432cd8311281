package dev.weft.extract;

import dev.weft.response.IntoResponse;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Why an extractor refused a request: the client sent something unusable.
 *
 * <p>Each kind has a fixed status and a client-safe {@link #detail()} that names the parameter,
 * header or JSON field at fault. The underlying exception, if any, is never echoed. Rejections
 * become RFC 9457 {@code application/problem+json} responses:
 *
 * <pre>{@code
 * HTTP/1.1 400 Bad Request
 * content-type: application/problem+json
 *
 * {"type":"about:blank","title":"Bad Request","status":400,
 *  "detail":"path parameter 'id' must be an integer","parameter":"id"}
 * }</pre>
 *
 * <p>The interface is sealed so that an exception mapper or a test can {@code switch} over every
 * kind; custom extractors use {@link #of(Status, String)}.
 */
public sealed interface Rejection extends IntoResponse {

    /** The response status. */
    Status status();

    /** A client-safe sentence saying what was wrong. */
    String detail();

    /** The problem document for this rejection. */
    Problem problem();

    @Override
    default Response toResponse() {
        return problem().toResponse();
    }

    /** A rejection of a custom extractor. */
    static Rejection of(Status status, String detail) {
        return new Custom(status, detail);
    }

    /** A path parameter is not valid percent-encoded UTF-8 or does not convert. 400. */
    record InvalidPathParam(String name, String expected) implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "path parameter '" + name + "' must be " + expected; }
        public Problem problem() { return Problem.of(status(), detail()).with("parameter", name); }
    }

    /** A required query parameter is absent. 400. */
    record MissingQueryParam(String name) implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "query parameter '" + name + "' is required"; }
        public Problem problem() { return Problem.of(status(), detail()).with("parameter", name); }
    }

    /** A query parameter does not convert to the expected type. 400. */
    record InvalidQueryParam(String name, String expected) implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "query parameter '" + name + "' must be " + expected; }
        public Problem problem() { return Problem.of(status(), detail()).with("parameter", name); }
    }

    /** The query string is not valid percent-encoded UTF-8. 400. */
    record MalformedQuery() implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "the query string is not valid percent-encoded UTF-8"; }
        public Problem problem() { return Problem.of(status(), detail()); }
    }

    /** A required header is absent. 400. */
    record MissingHeader(String name) implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "header '" + name + "' is required"; }
        public Problem problem() { return Problem.of(status(), detail()).with("header", name); }
    }

    /** A header does not convert to the expected type. 400. */
    record InvalidHeader(String name, String expected) implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "header '" + name + "' must be " + expected; }
        public Problem problem() { return Problem.of(status(), detail()).with("header", name); }
    }

    /** The body's content type is missing or not one the extractor reads. 415. */
    record UnsupportedMediaType(String expected) implements Rejection {
        public Status status() { return Status.UNSUPPORTED_MEDIA_TYPE; }
        public String detail() { return "expected a request body with content-type " + expected; }
        public Problem problem() { return Problem.of(status(), detail()).with("expected", expected); }
    }

    /** The body is not syntactically valid JSON. 400. */
    record MalformedJson(long line, long column) implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "the body is not valid JSON (line " + line + ", column " + column + ")"; }
        public Problem problem() { return Problem.of(status(), detail()).with("line", line).with("column", column); }
    }

    /**
     * The body is valid JSON but does not fit the target type. 422.
     *
     * @param pointer an RFC 6901 JSON pointer to the offending value; empty for the whole document
     */
    record JsonDataError(String pointer) implements Rejection {
        public Status status() { return Status.UNPROCESSABLE_CONTENT; }
        public String detail() {
            return pointer.isEmpty()
                    ? "the JSON document does not have the expected shape"
                    : "JSON field '" + pointer + "' is missing or has the wrong type";
        }
        public Problem problem() { return Problem.of(status(), detail()).with("pointer", pointer); }
    }

    /**
     * A record's compact constructor refused a value with an {@link InvalidValueException}. 422.
     *
     * @param location where the field is: {@code "JSON field"}, {@code "form field"}, {@code "query parameter"}, {@code "path parameter"}
     * @param field the field: a JSON pointer for a JSON body ({@code /items/1/qty}), else the parameter's name
     * @param reason the constructor's client-safe words: {@code "must be at least 1"}
     */
    record InvalidValue(String location, String field, String reason) implements Rejection {
        public Status status() { return Status.UNPROCESSABLE_CONTENT; }
        public String detail() { return location + " '" + field + "' " + reason; }
        public Problem problem() {
            return Problem.of(status(), detail()).with(location.equals("JSON field") ? "pointer" : "parameter", field);
        }
    }

    /**
     * A validator refused values of a bound record, several at once (for example the
     * {@code weft-validation} module's Jakarta Validation). 422, with every violation in the
     * problem's {@code errors} member as {@code {"pointer": ..., "detail": ...}}.
     *
     * @param violations each refused value, in a stable order
     */
    record Violations(List<Violation> violations) implements Rejection {
        public Violations {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("a Violations rejection needs at least one violation");
            }
        }
        public Status status() { return Status.UNPROCESSABLE_CONTENT; }
        public String detail() {
            return violations.size() == 1 ? violations.getFirst().pointer() + " " + violations.getFirst().detail()
                    : violations.size() + " values are invalid";
        }
        public Problem problem() {
            return Problem.of(status(), detail()).with("errors", violations.stream()
                    .map(v -> {
                        Map<String, String> error = new LinkedHashMap<>();
                        error.put("pointer", v.pointer());
                        error.put("detail", v.detail());
                        return error;
                    }).toList());
        }
    }

    /**
     * One refused value.
     *
     * @param pointer where it is, as a JSON pointer into the bound record ({@code /lines/1/qty})
     * @param detail why, client-safe ({@code must be greater than or equal to 1})
     */
    record Violation(String pointer, String detail) {
        public Violation {
            Objects.requireNonNull(pointer, "pointer");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The body is past one of the JSON parser's limits (nesting depth, number, string or name
     * length; see {@link dev.weft.json.JsonCodec#jackson()}). 400.
     *
     * @param limit which limit, with its value: "nesting depth 500"
     */
    record JsonTooComplex(String limit) implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "the JSON document is past the parser's " + limit; }
        public Problem problem() { return Problem.of(status(), detail()).with("limit", limit); }
    }

    /**
     * The body is sent with a content coding Weft does not decode (only {@code identity} is). 415,
     * with {@code accept-encoding: identity} (RFC 9110 §15.5.16).
     *
     * @param coding the first coding that is not {@code identity}, lower-cased
     */
    record UnsupportedContentEncoding(String coding) implements Rejection {
        public Status status() { return Status.UNSUPPORTED_MEDIA_TYPE; }
        public String detail() { return "a request body with content-encoding '" + coding + "' is not accepted; send it unencoded"; }
        public Problem problem() { return Problem.of(status(), detail()).with("accept-encoding", "identity"); }
        @Override
        public Response toResponse() { return problem().toResponse().withHeader("accept-encoding", "identity"); }
    }

    /** The urlencoded body is not valid percent-encoded UTF-8. 400. */
    record MalformedForm() implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "the form body is not valid percent-encoded UTF-8"; }
        public Problem problem() { return Problem.of(status(), detail()); }
    }

    /**
     * The query string or form body holds more name=value pairs than the limit (so that a small
     * request cannot make the server build a huge map). 400.
     *
     * @param location {@code "query string"} or {@code "form body"}
     */
    record TooManyParameters(String location, int limit) implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "the " + location + " has more than " + limit + " parameters"; }
        public Problem problem() { return Problem.of(status(), detail()).with("limit", limit); }
    }

    /** A form field is missing or does not convert. 422. */
    record InvalidFormField(String name, String expected) implements Rejection {
        public Status status() { return Status.UNPROCESSABLE_CONTENT; }
        public String detail() { return "form field '" + name + "' must be " + expected; }
        public Problem problem() { return Problem.of(status(), detail()).with("field", name); }
    }

    /** The body is larger than the route's limit. 413. */
    record PayloadTooLarge(long limitBytes) implements Rejection {
        public Status status() { return Status.CONTENT_TOO_LARGE; }
        public String detail() { return "the request body exceeds the limit of " + limitBytes + " bytes"; }
        public Problem problem() { return Problem.of(status(), detail()).with("limit", limitBytes); }
    }

    /**
     * A {@code multipart/form-data} body is past one of its limits ({@code MultipartOptions}). 413.
     *
     * @param limit the option's name: {@code maxParts}, {@code maxFieldBytes}, {@code maxFileBytes} or
     *     {@code maxPartHeaderBytes}
     * @param max the option's value (a count for {@code maxParts}, else bytes)
     * @param part the form field name of the part at fault; empty when not known yet
     */
    record MultipartTooLarge(String limit, long max, String part) implements Rejection {
        public MultipartTooLarge {
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(part, "part");
            part = part.length() > 100 ? part.substring(0, 100) + "…" : part;
        }
        public Status status() { return Status.CONTENT_TOO_LARGE; }
        public String detail() {
            return "the multipart body is past its limit " + limit + " (" + max + ")"
                    + (part.isEmpty() ? "" : " in part '" + part + "'");
        }
        public Problem problem() {
            Problem problem = Problem.of(status(), detail()).with("limit", limit).with("max", max);
            return part.isEmpty() ? problem : problem.with("part", part);
        }
    }

    /**
     * A {@code multipart/form-data} body that cannot be read: no or an invalid boundary,
     * malformed part headers, a body that ends before its closing boundary, a field that is not
     * valid text in its charset. 400.
     *
     * @param reason client-safe words completing "the multipart body ...": {@code "has no closing boundary"}
     */
    record MalformedMultipart(String reason) implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "the multipart body " + reason; }
        public Problem problem() { return Problem.of(status(), detail()); }
    }

    /**
     * A compressed body read through {@link dev.weft.middleware.RequestDecompression} passed one
     * of its limits: {@code maxWireBytes} (the bytes as sent) or {@code maxDecodedBytes} (the
     * bytes once decompressed, which is what stops a small "decompression bomb"). 413, naming the
     * limit in the problem's {@code option} member.
     */
    record CompressedPayloadTooLarge(String limit, long limitBytes) implements Rejection {
        public CompressedPayloadTooLarge {
            Objects.requireNonNull(limit, "limit");
        }
        public Status status() { return Status.CONTENT_TOO_LARGE; }
        public String detail() {
            return limit.equals("maxWireBytes")
                    ? "the compressed request body exceeds the limit of " + limitBytes + " bytes (maxWireBytes)"
                    : "the request body decompresses to more than the limit of " + limitBytes + " bytes (maxDecodedBytes)";
        }
        public Problem problem() { return Problem.of(status(), detail()).with("limit", limitBytes).with("option", limit); }
    }

    /** The body could not be read as required: truncated, or text that is not valid in its charset. 400. */
    record InvalidBody(String reason) implements Rejection {
        public Status status() { return Status.BAD_REQUEST; }
        public String detail() { return "the request body " + reason; }
        public Problem problem() { return Problem.of(status(), detail()); }
    }

    /**
     * A WebSocket handshake that cannot be accepted: 426 when the request is no handshake (or
     * asks for a protocol version other than 13), with {@code upgrade: websocket} and
     * {@code sec-websocket-version: 13}; 403 when its {@code Origin} is not allowed; 400 when it
     * is malformed (a bad {@code Sec-WebSocket-Key}, no agreed subprotocol where one is required);
     * 503 while the server shuts down.
     */
    record WebSocketRefused(Status status, String detail) implements Rejection {
        public WebSocketRefused {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
        }
        public Problem problem() { return Problem.of(status, detail); }
        @Override
        public Response toResponse() {
            Response response = problem().toResponse();
            if (status.code() == 426) {
                response = response.withHeader("upgrade", "websocket").withHeader("sec-websocket-version", "13");
            } else if (status.code() == 503) {
                response = response.withHeader("retry-after", "1");
            }
            return response;
        }
    }

    /**
     * Authentication or authorization refused the request: 401 (no usable credentials) or 403
     * (authenticated, but without a required role or scope), with {@code challenge} as the
     * {@code WWW-Authenticate} header when it is not empty. {@code detail} never says which part
     * of a credential was wrong.
     */
    record AuthenticationRefused(Status status, String detail, String challenge) implements Rejection {
        public AuthenticationRefused {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(challenge, "challenge");
        }
        public Problem problem() { return Problem.of(status, detail); }
        @Override
        public Response toResponse() {
            Response response = problem().toResponse();
            return challenge.isEmpty() ? response : response.withHeader("www-authenticate", challenge);
        }
    }

    /**
     * A bounded resource is full: an {@code Offload} pool's queue, a {@code Bulkhead}'s permits.
     * 503 with {@code retry-after}; the problem names the limit in its {@code limit} member.
     *
     * @param limit the resource's name, e.g. {@code offload} or a bulkhead's name
     * @param detail a client-safe sentence
     * @param retryAfterSeconds sent as {@code retry-after} (at least 1)
     */
    record Unavailable(String limit, String detail, long retryAfterSeconds) implements Rejection {
        public Unavailable {
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(detail, "detail");
            retryAfterSeconds = Math.max(1, retryAfterSeconds);
        }
        public Status status() { return Status.SERVICE_UNAVAILABLE; }
        public Problem problem() { return Problem.of(status(), detail).with("limit", limit); }
        @Override
        public Response toResponse() {
            return problem().toResponse().withHeader("retry-after", Long.toString(retryAfterSeconds));
        }
    }

    /** A rejection raised by application code through {@link Rejection#of}. */
    record Custom(Status status, String detail) implements Rejection {
        public Custom {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
        }
        public Problem problem() { return Problem.of(status, detail); }
    }
}
