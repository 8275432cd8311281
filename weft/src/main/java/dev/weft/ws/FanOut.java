package dev.weft.ws;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Hub}'s broadcasts reach the members of a room: on this instance only
 * ({@link #local()}, the default), or through a broker to every instance of a service (a Redis
 * pub/sub backend plugs in here), each instance delivering to its own members.
 *
 * <p>An implementation calls the {@link Receiver} it was {@link #start started} with once per
 * broadcast published by any instance, this one included; it may call it from any thread.
 */
public interface FanOut extends AutoCloseable {

    /** A broadcast as it travels between instances: the room, the encoded payload, and its kind. */
    record Broadcast(String room, byte[] payload, boolean text, Optional<String> key) {
        public Broadcast {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(key, "key");
        }
    }

    /** Where a fan-out delivers: the hub of this instance. */
    @FunctionalInterface
    interface Receiver {
        /** Delivers {@code broadcast} to this instance's members of its room. Must not block long. */
        void deliver(Broadcast broadcast);
    }

    /** Called once by the hub before any publish. */
    void start(Receiver receiver);

    /** Sends {@code broadcast} to every instance (this one included). */
    void publish(Broadcast broadcast);

    /** Stops delivering; the default does nothing. */
    @Override
    default void close() {}

    /** Delivery within this process only. */
    static FanOut local() {
        return new FanOut() {
            private volatile Receiver receiver;

            @Override
            public void start(Receiver r) {
                this.receiver = Objects.requireNonNull(r, "receiver");
            }

            @Override
            public void publish(Broadcast broadcast) {
                receiver.deliver(broadcast);
            }
        };
    }
}
