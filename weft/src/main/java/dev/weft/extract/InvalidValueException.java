package dev.weft.extract;

import java.util.Objects;

/**
 * Thrown by a record's compact constructor to refuse a value it was bound with, in words the
 * client may read. Weft answers 422 ({@link Rejection.InvalidValue}) naming the field: for a JSON
 * body with the JSON pointer of the field in the document (nested records too), for a form,
 * query or path record with the parameter's name.
 *
 * {@snippet :
 * public record NewOrder(String sku, int qty) {
 *     public NewOrder {
 *         if (qty < 1) {
 *             throw new InvalidValueException("qty", "must be at least 1");
 *         }
 *     }
 * }
 * // POST {"sku":"a","qty":0} → 422 {"detail":"JSON field '/qty' must be at least 1","pointer":"/qty",...}
 * }
 *
 * <p>Any other exception a compact constructor throws reaches the router's exception mappers
 * ({@code Router.Builder.onException}); without a mapper for it the answer is a 422 that does
 * not echo its message.
 */
public final class InvalidValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String reason;

    /**
     * @param field the record component refused, by name
     * @param reason what the value must be, sent to the client after the field's name: {@code "must be at least 1"}
     */
    public InvalidValueException(String field, String reason) {
        super(Objects.requireNonNull(field, "field") + " " + Objects.requireNonNull(reason, "reason"), null, false, false);
        this.field = field;
        this.reason = reason;
    }

    /** The record component refused. */
    public String field() {
        return field;
    }

    /** What the value must be, client-safe. */
    public String reason() {
        return reason;
    }
}
