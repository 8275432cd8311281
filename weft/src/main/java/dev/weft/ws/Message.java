package dev.weft.ws;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A whole WebSocket message, as {@link WebSocket#receive()} returns it: text, binary, or the end
 * of the session. Fragments are joined and control frames (ping, pong) are handled by Weft, so
 * a handler never sees them.
 */
public sealed interface Message {

    /** A text message (valid UTF-8 on the wire; Weft checks it as it arrives). */
    record Text(String text) implements Message {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A binary message. The array is the handler's: Weft keeps no reference to it. */
    record Binary(byte[] bytes) implements Message {
        public Binary {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /**
     * The end of the session, and why. Once {@link WebSocket#receive()} has returned it, every
     * later call returns it again. The code is the one the peer sent, the one Weft closed with
     * (a limit, a protocol error, shutdown), or one of the local codes {@link #NO_STATUS} (the
     * peer's Close frame had no code) and {@link #ABNORMAL} (the connection ended without a
     * Close frame: the peer vanished or stopped answering pings).
     *
     * @param code the close code (RFC 6455 §7.4)
     * @param reason a short human-readable reason, possibly empty
     */
    record Close(int code, String reason) implements Message {
        /** 1000: the purpose of the session is fulfilled. */
        public static final int NORMAL = 1000;
        /** 1001: the server is shutting down, or the browser leaves the page. */
        public static final int GOING_AWAY = 1001;
        /** 1002: the peer broke the protocol. */
        public static final int PROTOCOL_ERROR = 1002;
        /** 1003: a kind of message the endpoint does not accept. */
        public static final int UNSUPPORTED_DATA = 1003;
        /** 1005 (never sent): the Close frame carried no code. */
        public static final int NO_STATUS = 1005;
        /** 1006 (never sent): the connection ended without a Close frame. */
        public static final int ABNORMAL = 1006;
        /** 1007: a text message that is not valid UTF-8. */
        public static final int INVALID_PAYLOAD = 1007;
        /** 1008: a policy was broken (Weft: a consumer too slow to keep up). */
        public static final int POLICY_VIOLATION = 1008;
        /** 1009: a message larger than the limit. */
        public static final int TOO_BIG = 1009;
        /** 1011: the server failed (the handler threw). */
        public static final int INTERNAL_ERROR = 1011;
        /** 1012: the service is restarting. */
        public static final int SERVICE_RESTART = 1012;
        /** 1013: try again later. */
        public static final int TRY_AGAIN_LATER = 1013;

        public Close {
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * Whether {@code code} may be sent in a Close frame (RFC 6455 §7.4): 1000–1003, 1007–1014,
         * or 3000–4999.
         */
        public static boolean sendable(int code) {
            return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
        }

        /** The longest reason a Close frame can carry, in UTF-8 bytes. */
        public static final int MAX_REASON_BYTES = 123;

        /**
         * A close that may be sent: checks that {@code code} is {@link #sendable} and that
         * {@code reason} fits in a Close frame.
         *
         * @throws IllegalArgumentException otherwise
         */
        public static Close of(int code, String reason) {
            if (!sendable(code)) {
                throw new IllegalArgumentException("close code " + code + " may not be sent; use 1000-1003, 1007-1014"
                        + " or 3000-4999");
            }
            if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
                throw new IllegalArgumentException("a close reason is at most " + MAX_REASON_BYTES + " UTF-8 bytes");
            }
            return new Close(code, reason);
        }
    }
}
