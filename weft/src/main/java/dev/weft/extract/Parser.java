package dev.weft.extract;

/**
 * Converts the text of a parameter or header into a value. Any exception it throws rejects the
 * request with 400; the exception is logged at DEBUG (logger {@code dev.weft.extract}), never sent
 * to the client.
 *
 * {@snippet class=dev.weft.extract.ParserExamples region=day}
 *
 * @param <T> the converted type
 */
@FunctionalInterface
public interface Parser<T> {
    T parse(String text) throws Exception;
}
