package dev.weft.routing;

import dev.weft.http.Request;

/**
 * Turns an application exception into a response, registered once with
 * {@link Router.Builder#onException}. The result is converted like a handler's return value.
 *
 * <pre>{@code
 * .onException(NoSuchTodo.class, (e, request) -> Problem.of(Status.NOT_FOUND, "no todo " + e.id()))
 * }</pre>
 *
 * @param <E> the exception type; subclasses match too, the most specific mapper wins
 */
@FunctionalInterface
public interface ExceptionMapper<E extends Throwable> {
    Object map(E exception, Request request) throws Exception;
}
