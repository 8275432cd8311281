package dev.weft.internal.http;

/** The one parser of a request's {@code Content-Length}, for HTTP/1.1 and HTTP/2 alike. */
public final class ContentLength {
    /** The detail of the 400 for an invalid value, on either protocol. */
    public static final String REFUSAL = "content-length is not 1*DIGIT";

    private ContentLength() {}

    /**
     * The length {@code value} declares: {@code 1*DIGIT} (RFC 9110 §8.6), ASCII digits only,
     * optionally surrounded by spaces or tabs. A sign, another character, or a number past
     * {@link Long#MAX_VALUE} is refused, because a length read two ways is a smuggling vector.
     *
     * @throws NumberFormatException if {@code value} is not such a length
     */
    public static long parse(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isWhitespace(value.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            throw new NumberFormatException("an empty content-length");
        }
        long length = 0;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("a content-length holds a character other than a digit");
            }
            if (length > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw new NumberFormatException("a content-length past 2^63-1");
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
