package dev.weft.ws;

import dev.weft.WeftException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The limits, heartbeat and handshake rules of a WebSocket route. Immutable; {@link #defaults()}
 * or {@link #builder()}, validated by {@link Builder#build()} with every problem reported at once.
 *
 * <table class="striped">
 * <caption>Options and defaults</caption>
 * <thead><tr><th>option</th><th>default</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code maxMessageBytes}</td><td>1 MiB</td><td>largest message after joining its fragments; past it: Close 1009</td></tr>
 * <tr><td>{@code maxFrameBytes}</td><td>= {@code maxMessageBytes}</td><td>largest frame payload; past it: Close 1009</td></tr>
 * <tr><td>{@code maxFragments}</td><td>16,384</td><td>most frames in one message (empty ones count); past it: Close 1009</td></tr>
 * <tr><td>{@code heartbeat}</td><td>25 s</td><td>ping interval; zero disables pings and the silence check</td></tr>
 * <tr><td>{@code heartbeatTimeout}</td><td>10 s</td><td>a peer silent for {@code heartbeat} + this is dead</td></tr>
 * <tr><td>{@code maxPendingBytes}</td><td>1 MiB</td><td>bytes sent but not yet written to the socket before a send blocks</td></tr>
 * <tr><td>{@code sendTimeout}</td><td>10 s</td><td>longest a send may wait without progress; then Close 1008 (slow consumer)</td></tr>
 * <tr><td>{@code maxUnreadMessages}</td><td>16</td><td>messages waiting for {@code receive()} before the socket stops being read</td></tr>
 * <tr><td>{@code closeTimeout}</td><td>5 s</td><td>how long a Close frame waits for the peer's before the connection is closed</td></tr>
 * <tr><td>{@code allowedOrigins}</td><td>same origin</td><td>browser origins allowed besides the server's own; 403 otherwise</td></tr>
 * <tr><td>{@code protocols}</td><td>none</td><td>subprotocols, in the server's order of preference</td></tr>
 * <tr><td>{@code requireProtocol}</td><td>false</td><td>refuse (400) a handshake that offers none of {@code protocols}</td></tr>
 * <tr><td>{@code compression}</td><td>false</td><td>accept permessage-deflate (RFC 7692) when the client offers it</td></tr>
 * </tbody>
 * </table>
 *
 * {@snippet class=dev.weft.ws.WebSocketExamples region=options}
 */
public final class WebSocketOptions {
    private static final WebSocketOptions DEFAULTS = builder().build();

    private final int maxMessageBytes;
    private final int maxFrameBytes;
    private final int maxFragments;
    private final Duration heartbeat;
    private final Duration heartbeatTimeout;
    private final int maxPendingBytes;
    private final Duration sendTimeout;
    private final int maxUnreadMessages;
    private final Duration closeTimeout;
    private final List<String> allowedOrigins;
    private final boolean anyOrigin;
    private final List<String> protocols;
    private final boolean requireProtocol;
    private final boolean compression;

    private WebSocketOptions(Builder b) {
        this.maxMessageBytes = b.maxMessageBytes;
        this.maxFrameBytes = b.maxFrameBytes > 0 ? b.maxFrameBytes : b.maxMessageBytes;
        this.maxFragments = b.maxFragments;
        this.heartbeat = b.heartbeat;
        this.heartbeatTimeout = b.heartbeatTimeout;
        this.maxPendingBytes = b.maxPendingBytes;
        this.sendTimeout = b.sendTimeout;
        this.maxUnreadMessages = b.maxUnreadMessages;
        this.closeTimeout = b.closeTimeout;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        this.anyOrigin = b.anyOrigin;
        this.protocols = List.copyOf(b.protocols);
        this.requireProtocol = b.requireProtocol;
        this.compression = b.compression;
    }

    /** The defaults of the table above. */
    public static WebSocketOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxMessageBytes() { return maxMessageBytes; }

    public int maxFrameBytes() { return maxFrameBytes; }

    public int maxFragments() { return maxFragments; }

    public Duration heartbeat() { return heartbeat; }

    public Duration heartbeatTimeout() { return heartbeatTimeout; }

    public int maxPendingBytes() { return maxPendingBytes; }

    public Duration sendTimeout() { return sendTimeout; }

    public int maxUnreadMessages() { return maxUnreadMessages; }

    public Duration closeTimeout() { return closeTimeout; }

    /** Origins allowed besides the server's own, lower-cased ({@code scheme://host[:port]}). */
    public List<String> allowedOrigins() { return allowedOrigins; }

    /** Whether every origin is allowed (no cross-site check). */
    public boolean allowsAnyOrigin() { return anyOrigin; }

    public List<String> protocols() { return protocols; }

    public boolean requireProtocol() { return requireProtocol; }

    public boolean compression() { return compression; }

    /** Options built one by one; {@link #build()} checks them all. */
    public static final class Builder {
        private int maxMessageBytes = 1024 * 1024;
        private int maxFrameBytes;
        private int maxFragments = 16_384;
        private Duration heartbeat = Duration.ofSeconds(25);
        private Duration heartbeatTimeout = Duration.ofSeconds(10);
        private int maxPendingBytes = 1024 * 1024;
        private Duration sendTimeout = Duration.ofSeconds(10);
        private int maxUnreadMessages = 16;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private final List<String> allowedOrigins = new ArrayList<>();
        private boolean anyOrigin;
        private final List<String> protocols = new ArrayList<>();
        private boolean requireProtocol;
        private boolean compression;

        private Builder() {}

        public Builder maxMessageBytes(int value) { this.maxMessageBytes = value; return this; }

        /** The largest frame payload; by default the message limit (a whole message may come as one frame). */
        public Builder maxFrameBytes(int value) { this.maxFrameBytes = value; return this; }

        public Builder maxFragments(int value) { this.maxFragments = value; return this; }

        /** The ping interval; {@link Duration#ZERO} disables pings and the silence check. */
        public Builder heartbeat(Duration value) { this.heartbeat = value; return this; }

        public Builder heartbeatTimeout(Duration value) { this.heartbeatTimeout = value; return this; }

        public Builder maxPendingBytes(int value) { this.maxPendingBytes = value; return this; }

        public Builder sendTimeout(Duration value) { this.sendTimeout = value; return this; }

        public Builder maxUnreadMessages(int value) { this.maxUnreadMessages = value; return this; }

        public Builder closeTimeout(Duration value) { this.closeTimeout = value; return this; }

        /**
         * Allows browser pages from {@code origins} ({@code https://app.example.com}, with a port
         * when it is not the scheme's default) besides the server's own origin.
         */
        public Builder allowedOrigins(String... origins) {
            for (String origin : origins) {
                allowedOrigins.add(Objects.requireNonNull(origin, "origin").toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /**
         * Turns the cross-site check off: any page may open a session. Only for endpoints that
         * authenticate with something a page of another site cannot send (not cookies).
         */
        public Builder allowAnyOrigin() { this.anyOrigin = true; return this; }

        /** The subprotocols the route speaks, most preferred first. */
        public Builder protocols(String... names) {
            for (String name : names) {
                protocols.add(Objects.requireNonNull(name, "protocol"));
            }
            return this;
        }

        /** Refuses (400) a handshake that offers none of {@link #protocols}. */
        public Builder requireProtocol(boolean value) { this.requireProtocol = value; return this; }

        /** Accepts permessage-deflate when the client offers it (off by default: it costs memory per connection). */
        public Builder compression(boolean value) { this.compression = value; return this; }

        /**
         * Checks every option.
         *
         * @throws WeftException listing every invalid option, one per line
         */
        public WebSocketOptions build() {
            List<String> problems = new ArrayList<>();
            positive(problems, "maxMessageBytes", maxMessageBytes);
            if (maxFrameBytes < 0) {
                problems.add("maxFrameBytes must be positive (or unset: the message limit), got " + maxFrameBytes);
            } else if (maxFrameBytes > maxMessageBytes) {
                problems.add("maxFrameBytes (" + maxFrameBytes + ") must not exceed maxMessageBytes ("
                        + maxMessageBytes + ")");
            }
            positive(problems, "maxFragments", maxFragments);
            positive(problems, "maxPendingBytes", maxPendingBytes);
            positive(problems, "maxUnreadMessages", maxUnreadMessages);
            duration(problems, "heartbeat", heartbeat, true);
            duration(problems, "heartbeatTimeout", heartbeatTimeout, heartbeat != null && heartbeat.isZero());
            duration(problems, "sendTimeout", sendTimeout, false);
            duration(problems, "closeTimeout", closeTimeout, false);
            for (String origin : allowedOrigins) {
                if (!OriginCheck.isSerializedOrigin(origin)) {
                    problems.add("allowedOrigins: '" + origin + "' is not an origin (scheme://host[:port], no path)");
                }
            }
            if (anyOrigin && !allowedOrigins.isEmpty()) {
                problems.add("allowAnyOrigin() and allowedOrigins(...) exclude each other");
            }
            for (String protocol : protocols) {
                if (!Handshake.isToken(protocol)) {
                    problems.add("protocols: '" + protocol + "' is not an HTTP token");
                }
            }
            if (requireProtocol && protocols.isEmpty()) {
                problems.add("requireProtocol(true) needs protocols(...)");
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid WebSocket options:\n  - " + String.join("\n  - ", problems));
            }
            return new WebSocketOptions(this);
        }

        private static void positive(List<String> problems, String name, int value) {
            if (value <= 0) {
                problems.add(name + " must be positive, got " + value);
            }
        }

        private static void duration(List<String> problems, String name, Duration value, boolean zeroAllowed) {
            if (value == null) {
                problems.add(name + " must be set");
            } else if (value.isNegative() || (value.isZero() && !zeroAllowed)) {
                problems.add(name + " must be " + (zeroAllowed ? "zero or more" : "positive") + ", got " + value);
            }
        }
    }
}
