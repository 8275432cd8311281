package dev.weft.ws;

import dev.weft.WeftException;
import dev.weft.internal.ws.Port;
import dev.weft.internal.ws.SharedFrame;
import dev.weft.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Broadcast to many WebSocket sessions: rooms that sessions {@link #join} and {@link #leave}
 * (and leave by themselves when they end), and {@link #broadcast} to every member of a room.
 *
 * <p>A broadcast is encoded once: every recipient writes the same frame buffer. Sending never
 * blocks the broadcaster: a member whose socket has its {@link WebSocketOptions#maxPendingBytes()}
 * pending gets the message queued, up to {@link Builder#maxQueuedMessages} messages and
 * {@link Builder#maxQueuedBytes} bytes; past that, the {@link SlowClientPolicy} decides
 * ({@link SlowClientPolicy#DISCONNECT} by default: Close 1008, so one stalled client can neither
 * hold memory without bound nor slow the others down).
 *
 * <p>Thread-safe; one hub is shared by every route that uses it (as application state). The
 * {@link FanOut} decides whether broadcasts also reach other instances.
 *
 * {@snippet class=dev.weft.ws.HubExamples region=chat}
 */
public final class Hub implements AutoCloseable {

    /** What happens when a member's queue is full. */
    public enum SlowClientPolicy {
        /** Close the session with 1008 "slow consumer" (the default). */
        DISCONNECT,
        /** Drop the oldest queued message to make room. */
        DROP_OLDEST,
        /** Drop the new message. */
        DROP_NEWEST,
        /**
         * Replace a queued message that has the same key ({@link #broadcast(String, String, String)}),
         * so a member that falls behind gets the latest value per key; without one, drop the oldest.
         */
        COALESCE
    }

    private final int maxQueuedMessages;
    private final long maxQueuedBytes;
    private final SlowClientPolicy policy;
    private final FanOut fanOut;
    private final JsonCodec codec;
    private final ConcurrentHashMap<WebSocket, Member> members = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<Member>> rooms = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong disconnected = new AtomicLong();

    private Hub(Builder b) {
        this.maxQueuedMessages = b.maxQueuedMessages;
        this.maxQueuedBytes = b.maxQueuedBytes;
        this.policy = b.policy;
        this.fanOut = b.fanOut;
        this.codec = b.codec;
        fanOut.start(this::deliver);
    }

    /** A hub with the defaults: 256 messages and 1 MiB queued per member, disconnect slow ones, this instance only. */
    public static Hub create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds {@code socket} to {@code room} (a socket may be in several); it leaves every room when
     * its session ends.
     *
     * @throws IllegalArgumentException if {@code socket} was not handed out by Weft
     */
    public void join(String room, WebSocket socket) {
        Objects.requireNonNull(room, "room");
        if (!(socket instanceof Port port)) {
            throw new IllegalArgumentException("a hub takes the WebSocket sessions Weft hands to handlers");
        }
        Member member = members.computeIfAbsent(socket, s -> new Member(port, s));
        member.rooms.add(room);
        rooms.compute(room, (name, set) -> {
            Set<Member> in = set != null ? set : ConcurrentHashMap.newKeySet();
            in.add(member);
            return in;
        });
        if (port.ended()) {
            remove(member); // it ended before or while joining; its end listener may have run already
        }
    }

    /** Removes {@code socket} from {@code room}. */
    public void leave(String room, WebSocket socket) {
        Member member = members.get(socket);
        if (member != null) {
            member.rooms.remove(room);
            removeFrom(room, member);
        }
    }

    /** How many sessions of this instance are in {@code room}. */
    public int members(String room) {
        Set<Member> in = rooms.get(room);
        return in == null ? 0 : in.size();
    }

    /** The rooms of this instance with at least one member. */
    public Set<String> rooms() {
        return Set.copyOf(rooms.keySet());
    }

    /** Sends {@code text} to every member of {@code room}. Never blocks on a slow member. */
    public void broadcast(String room, String text) {
        publish(room, text.getBytes(StandardCharsets.UTF_8), true, null);
    }

    /** Sends {@code bytes} as a binary message to every member of {@code room}. */
    public void broadcast(String room, byte[] bytes) {
        publish(room, bytes.clone(), false, null);
    }

    /**
     * Sends {@code text} under {@code key}: with {@link SlowClientPolicy#COALESCE}, a member that
     * still has an older message of the same key queued gets this one in its place.
     */
    public void broadcast(String room, String key, String text) {
        publish(room, text.getBytes(StandardCharsets.UTF_8), true, Objects.requireNonNull(key, "key"));
    }

    /** Sends {@code value} encoded as JSON (once) as a text message. */
    public void broadcastJson(String room, Object value) {
        publish(room, codec.write(value), true, null);
    }

    /** Messages dropped so far by the slow-client policy (DROP_* and COALESCE). */
    public long dropped() {
        return dropped.get();
    }

    /** Members disconnected so far as slow consumers. */
    public long disconnected() {
        return disconnected.get();
    }

    /** Stops the fan-out; members stay connected. */
    @Override
    public void close() {
        fanOut.close();
    }

    private void publish(String room, byte[] payload, boolean text, String key) {
        Objects.requireNonNull(room, "room");
        fanOut.publish(new FanOut.Broadcast(room, payload, text, Optional.ofNullable(key)));
    }

    /** Delivers a broadcast (from this instance or another) to the members here. */
    private void deliver(FanOut.Broadcast broadcast) {
        Set<Member> in = rooms.get(broadcast.room());
        if (in == null || in.isEmpty()) {
            return;
        }
        SharedFrame frame = new SharedFrame(broadcast.payload(), broadcast.text(), broadcast.key().orElse(null));
        try {
            // One task per I/O thread writes to all of its members: a write from the thread that
            // owns a socket goes straight out, where one from here would be a hand-off per member.
            Map<Executor, List<Member>> byThread = new HashMap<>();
            for (Member member : in) {
                byThread.computeIfAbsent(member.port.executor(), e -> new ArrayList<>()).add(member);
            }
            for (Map.Entry<Executor, List<Member>> group : byThread.entrySet()) {
                List<Member> members = group.getValue();
                frame.retain();
                try {
                    group.getKey().execute(() -> {
                        try {
                            for (Member member : members) {
                                member.offer(frame);
                            }
                        } finally {
                            frame.release();
                        }
                    });
                } catch (RejectedExecutionException stopped) {
                    frame.release(); // the server is stopping: those sessions are gone
                }
            }
        } finally {
            frame.release();
        }
    }

    private void remove(Member member) {
        if (members.remove(member.socket, member)) {
            for (String room : member.rooms) {
                removeFrom(room, member);
            }
            member.clear();
        }
    }

    private void removeFrom(String room, Member member) {
        rooms.computeIfPresent(room, (name, set) -> {
            set.remove(member);
            return set.isEmpty() ? null : set;
        });
    }

    /** One session in this hub: its rooms and the messages waiting for room on its socket. */
    private final class Member implements Runnable {
        final Port port;
        final WebSocket socket;
        final Set<String> rooms = ConcurrentHashMap.newKeySet();
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<SharedFrame> queue = new ArrayDeque<>();
        private long queuedBytes;

        Member(Port port, WebSocket socket) {
            this.port = port;
            this.socket = socket;
            port.onRoom(this);
            port.onEnd(() -> remove(this));
        }

        /** Any thread: sends {@code frame} now if it fits, else queues it under the policy. */
        void offer(SharedFrame frame) {
            boolean slow = false;
            lock.lock();
            try {
                if (queue.isEmpty() && port.offer(frame)) {
                    return;
                }
                if (port.ended()) {
                    return;
                }
                if (policy == SlowClientPolicy.COALESCE && frame.key() != null && replace(frame)) {
                    return;
                }
                int size = frame.size();
                while (queue.size() >= maxQueuedMessages || (queuedBytes + size > maxQueuedBytes && !queue.isEmpty())) {
                    switch (policy) {
                        case DISCONNECT -> {
                            slow = true;
                            clearLocked();
                        }
                        case DROP_NEWEST -> {
                            dropped.incrementAndGet();
                            return;
                        }
                        case DROP_OLDEST, COALESCE -> {
                            SharedFrame oldest = queue.poll();
                            queuedBytes -= oldest.size();
                            oldest.release();
                            dropped.incrementAndGet();
                        }
                    }
                    if (slow) {
                        break;
                    }
                }
                if (slow) {
                    // Under the lock, so no later broadcast slips out after the ones dropped here.
                    disconnected.incrementAndGet();
                    port.closeSlow("slow consumer: more than " + maxQueuedMessages + " messages or " + maxQueuedBytes
                            + " bytes queued");
                } else {
                    queue.add(frame.retain());
                    queuedBytes += size;
                }
            } finally {
                lock.unlock();
            }
        }

        /** Replaces a queued message with the same key by {@code frame}, in its place; whether one was found. */
        private boolean replace(SharedFrame frame) {
            ArrayDeque<SharedFrame> rebuilt = new ArrayDeque<>(queue.size());
            boolean found = false;
            for (SharedFrame queued : queue) {
                if (!found && frame.key().equals(queued.key())) {
                    found = true;
                    rebuilt.add(frame.retain());
                    queuedBytes += frame.size() - queued.size();
                    queued.release();
                    dropped.incrementAndGet();
                } else {
                    rebuilt.add(queued);
                }
            }
            if (found) {
                queue.clear();
                queue.addAll(rebuilt);
            }
            return found;
        }

        /** I/O thread: the socket has room again; sends what is queued while it fits. */
        @Override
        public void run() {
            lock.lock();
            try {
                while (!queue.isEmpty()) {
                    SharedFrame next = queue.peek();
                    if (!port.offer(next)) {
                        break;
                    }
                    queue.poll();
                    queuedBytes -= next.size();
                    next.release();
                }
            } finally {
                lock.unlock();
            }
        }

        void clear() {
            lock.lock();
            try {
                clearLocked();
            } finally {
                lock.unlock();
            }
        }

        private void clearLocked() {
            for (SharedFrame f : queue) {
                f.release();
            }
            queue.clear();
            queuedBytes = 0;
        }
    }

    /** Hub settings; {@link #build()} checks them all at once. */
    public static final class Builder {
        private int maxQueuedMessages = 256;
        private long maxQueuedBytes = 1024 * 1024;
        private SlowClientPolicy policy = SlowClientPolicy.DISCONNECT;
        private FanOut fanOut = FanOut.local();
        private JsonCodec codec = JsonCodec.jackson();

        private Builder() {}

        /** Messages queued per member before the policy applies (256). */
        public Builder maxQueuedMessages(int value) { this.maxQueuedMessages = value; return this; }

        /** Bytes queued per member before the policy applies (1 MiB). */
        public Builder maxQueuedBytes(long value) { this.maxQueuedBytes = value; return this; }

        public Builder slowClientPolicy(SlowClientPolicy value) { this.policy = value; return this; }

        /** How broadcasts reach members, here or on every instance ({@link FanOut#local()}). */
        public Builder fanOut(FanOut value) { this.fanOut = value; return this; }

        /** The codec of {@link #broadcastJson} (Jackson by default). */
        public Builder jsonCodec(JsonCodec value) { this.codec = value; return this; }

        /** @throws WeftException listing every invalid setting */
        public Hub build() {
            List<String> problems = new ArrayList<>();
            if (maxQueuedMessages <= 0) {
                problems.add("maxQueuedMessages must be positive, got " + maxQueuedMessages);
            }
            if (maxQueuedBytes <= 0) {
                problems.add("maxQueuedBytes must be positive, got " + maxQueuedBytes);
            }
            if (policy == null) {
                problems.add("slowClientPolicy must be set");
            }
            if (fanOut == null) {
                problems.add("fanOut must be set");
            }
            if (codec == null) {
                problems.add("jsonCodec must be set");
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid hub settings:\n  - " + String.join("\n  - ", problems));
            }
            return new Hub(this);
        }
    }
}
