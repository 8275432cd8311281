package dev.weft.routing;

import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.http.BodyTooLargeException;
import dev.weft.http.Request;
import dev.weft.internal.http.AbstractBody;
import dev.weft.internal.http.MalformedBodyException;
import dev.weft.internal.http.ServerRequest;
import dev.weft.response.Problem;
import dev.weft.response.Response;
import dev.weft.response.Status;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever a handler, extractor or middleware threw into a response: rejections answer with
 * their problem, mapped exceptions with their mapper's result, the rest with a generic 500 whose
 * body says nothing about the cause (the log says everything).
 */
final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.handler");
    private static final Response INTERNAL =
            Problem.of(Status.INTERNAL_SERVER_ERROR, "the server failed to handle this request").toResponse();

    private Failures() {}

    static Response toResponse(Throwable failure, Request request, Map<Class<? extends Throwable>, ExceptionMapper<?>> mappers,
            String where) {
        if (failure instanceof VirtualMachineError fatal && !(failure instanceof StackOverflowError)) {
            throw fatal;
        }
        if (failure instanceof RejectedException rejected) {
            Throwable cause = rejected.getCause();
            if (cause != null && find(mappers, cause.getClass()) != null) {
                return toResponse(cause, request, mappers, where); // the application's own exception, mapped
            }
            return rejected.rejection().toResponse();
        }
        BodyTooLargeException tooLarge = unwrap(failure, BodyTooLargeException.class);
        if (tooLarge != null) {
            return AbstractBody.rejection(tooLarge).toResponse();
        }
        // a compressed request body that could not be decoded, and the handler let the failure escape
        MalformedBodyException malformed = unwrap(failure, MalformedBodyException.class);
        if (malformed != null) {
            return new Rejection.InvalidBody(malformed.getMessage()).toResponse();
        }
        ExceptionMapper<Throwable> mapper = find(mappers, failure.getClass());
        if (mapper != null) {
            try {
                return Conversions.toResponse(mapper.map(failure, request));
            } catch (Throwable mapperFailure) {
                if (mapperFailure instanceof RejectedException rejected) {
                    return rejected.rejection().toResponse();
                }
                LOG.error("{}: the exception mapper for {} failed", where, failure.getClass().getName(), mapperFailure);
                if (request instanceof ServerRequest server) {
                    server.failed(mapperFailure);
                }
                return INTERNAL;
            }
        }
        if (causedByInterrupt(failure)) {
            // The server interrupts a handler only when nobody waits for its answer any more (the
            // client reset the stream or left) or its deadline passed (logged as a warning there).
            // An error log per client that gives up would let clients fill the log.
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // the caught exception cleared the flag
            }
            LOG.debug("{}: request {} {} was interrupted", where, request.method(), request.path());
            return INTERNAL;
        }
        LOG.error("{}: request {} {} failed", where, request.method(), request.path(), failure);
        if (request instanceof ServerRequest server) {
            server.failed(failure); // for tracing: the span records what became this 500
        }
        return INTERNAL;
    }

    /**
     * Whether {@code failure} comes from interrupting the thread: it is, or is caused by (a
     * library's wrapper, such as a database exception around an interrupted statement), an
     * {@link InterruptedException}, an interrupted I/O operation or a channel closed by the
     * interrupt. A socket timeout is an {@link java.io.InterruptedIOException} too, but a real
     * failure of the handler's work.
     */
    static boolean causedByInterrupt(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedByInterruptException
                    || (t instanceof java.io.InterruptedIOException && !(t instanceof java.net.SocketTimeoutException))) {
                return true;
            }
        }
        return false;
    }

    /** {@code failure} if it is a {@code type}, or the cause of an {@link UncheckedIOException} that is; else null. */
    private static <T extends Throwable> T unwrap(Throwable failure, Class<T> type) {
        if (type.isInstance(failure)) {
            return type.cast(failure);
        }
        if (failure instanceof UncheckedIOException u && type.isInstance(u.getCause())) {
            return type.cast(u.getCause());
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static ExceptionMapper<Throwable> find(Map<Class<? extends Throwable>, ExceptionMapper<?>> mappers,
            Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            ExceptionMapper<?> mapper = mappers.get(c);
            if (mapper != null) {
                return (ExceptionMapper<Throwable>) mapper;
            }
        }
        return null;
    }
}
