package dev.weft.extract;

import java.util.Objects;

/**
 * Carries a {@link Rejection} out of an extractor. Built without a stack trace, so rejecting a
 * request costs no more than returning.
 *
 * <p>Throw it from a custom extractor (or from a handler) to answer with the rejection's problem
 * response; the handler is not called.
 */
public final class RejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Rejection rejection;

    public RejectedException(Rejection rejection) {
        this(rejection, null);
    }

    /**
     * A rejection caused by {@code cause}, an application exception (thrown by a record's
     * constructor while binding): if the router maps {@code cause}'s type, its mapper answers
     * instead of the rejection.
     */
    public RejectedException(Rejection rejection, Throwable cause) {
        super(Objects.requireNonNull(rejection, "rejection").detail(), cause, false, false);
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
