package dev.weft.validation;

import dev.weft.extract.Extractor;
import dev.weft.extract.Json;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Jakarta Validation 3.1 (Hibernate Validator) for the records Weft binds: a JSON body, a form, a
 * query or path record. Every violation of a bound value is listed in one 422 problem
 * ({@link Rejection.Violations}): {@code errors: [{"pointer": "/lines/1/qty", "detail": "must be
 * greater than or equal to 1"}, ...]}. The handler is not called.
 *
 * {@snippet :
 * public record NewOrder(@NotBlank String customer, @Size(min = 1) List<@Valid Line> lines) {}
 * public record Line(@NotBlank String sku, @Min(1) int qty) {}
 *
 * .post("/orders", Validated.json(NewOrder.class), order -> ...)
 * .get("/search", Validated.of(Query.as(Search.class)), search -> ...)
 * }
 *
 * <p>Messages are the constraints' own, interpolated with their parameters only
 * (Hibernate Validator's {@code ParameterMessageInterpolator}: no Expression Language, so a
 * message never evaluates an expression and never shows the rejected value or a class name).
 * Validation runs after binding, on the handler's thread; the validator is thread-safe.
 */
public final class Validated {
    private static final ValidatorFactory FACTORY = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    private Validated() {}

    /** The JSON body as {@code type} ({@link Json#of}), validated. */
    public static <T> Extractor<T> json(Class<T> type) {
        return of(Json.of(type));
    }

    /** What {@code extractor} gives, validated (a form, query or path record, say). */
    public static <T> Extractor<T> of(Extractor<T> extractor) {
        return extractor.map(Validated::check);
    }

    /**
     * Returns {@code value} if it is valid.
     *
     * @throws RejectedException with {@link Rejection.Violations} listing every violation
     */
    public static <T> T check(T value) {
        Set<ConstraintViolation<T>> violations = VALIDATOR.validate(value);
        if (violations.isEmpty()) {
            return value;
        }
        List<Rejection.Violation> list = violations.stream()
                .map(v -> new Rejection.Violation(pointer(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Rejection.Violation::pointer).thenComparing(Rejection.Violation::detail))
                .toList();
        throw new RejectedException(new Rejection.Violations(list));
    }

    /** A property path ({@code lines[1].qty}) as a JSON pointer ({@code /lines/1/qty}). */
    static String pointer(Path path) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : path) {
            if (node.isInIterable()) {
                Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
                if (at != null) {
                    out.append('/').append(escape(at.toString()));
                }
            }
            String name = node.getName();
            if (name != null && !name.startsWith("<")) { // "<list element>" and the like name no field
                out.append('/').append(escape(name));
            }
        }
        return out.toString();
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
