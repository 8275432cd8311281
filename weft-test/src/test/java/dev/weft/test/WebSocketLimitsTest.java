package dev.weft.test;

import static dev.weft.test.WebSocketClient.BINARY;
import static dev.weft.test.WebSocketClient.CONTINUATION;
import static dev.weft.test.WebSocketClient.TEXT;
import static dev.weft.test.WebSocketProtocolTest.assertServerCloses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.ws.Message;
import dev.weft.ws.WebSocket;
import dev.weft.ws.WebSocketOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The message, frame and fragment limits (issue #11, item 2): past each, Close 1009 before the
 * TCP close; exactly at each, the message is delivered. Per-route overrides next to the defaults.
 */
class WebSocketLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MIB = 1024 * 1024;
    /** How each session ended, as its handler saw it, by path (each test has its own). */
    private static final Map<String, BlockingQueue<Message.Close>> ENDS = new ConcurrentHashMap<>();
    private static final AtomicInteger TESTS = new AtomicInteger();
    private static TestClient client;
    private int test;

    /** Echoes the size and first/last byte of each message, so a 1 MiB message is not sent back. */
    static void sizes(WebSocket socket) throws Exception {
        while (true) {
            switch (socket.receive()) {
                case Message.Text t -> socket.send("text " + t.text().getBytes(StandardCharsets.UTF_8).length);
                case Message.Binary b -> socket.send("binary " + b.bytes().length + " "
                        + (b.bytes().length == 0 ? "-" : b.bytes()[0] + ".." + b.bytes()[b.bytes().length - 1]));
                case Message.Close c -> {
                    ends(socket.request().path()).add(c);
                    return;
                }
            }
        }
    }

    @BeforeAll
    static void start() {
        client = TestClient.start(Router.builder()
                .webSocket("/default/{test}", WebSocketLimitsTest::sizes)
                .webSocket("/small/{test}", WebSocketOptions.builder().maxMessageBytes(1024).build(), WebSocketLimitsTest::sizes)
                .webSocket("/frames/{test}", WebSocketOptions.builder().maxMessageBytes(4096).maxFrameBytes(256).build(),
                        WebSocketLimitsTest::sizes)
                .webSocket("/fragments/{test}", WebSocketOptions.builder().maxFragments(8).build(), WebSocketLimitsTest::sizes)
                .build());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @BeforeEach
    void number() {
        test = TESTS.incrementAndGet();
    }

    private static BlockingQueue<Message.Close> ends(String path) {
        return ENDS.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
    }

    /** This test's path on {@code route}. */
    private String at(String route) {
        return route + "/" + test;
    }

    private static byte[] bytes(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'a');
        if (size > 0) {
            b[size - 1] = 2;
            b[0] = 1;
        }
        return b;
    }

    private static byte[] frame(boolean fin, int opcode, byte[] payload) {
        return WebSocketClient.encode(fin, 0, opcode, payload, true);
    }

    /** {@code total} bytes as {@code count} frames of (nearly) equal size. */
    private static byte[] fragments(int opcode, int total, int count) {
        var out = new ByteArrayOutputStream();
        int each = total / count;
        for (int i = 0; i < count; i++) {
            int size = i == count - 1 ? total - each * (count - 1) : each;
            out.writeBytes(frame(i == count - 1, i == 0 ? opcode : CONTINUATION, bytes(size)));
        }
        return out.toByteArray();
    }

    private void assertHandlerSaw(String route, int code) throws InterruptedException {
        Message.Close end = ends(at(route)).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(end).as("the handler's receive() returned a Close").isNotNull();
        assertThat(end.code()).as("reason '%s'", end.reason()).isEqualTo(code);
    }

    private static void assertStillServing(String route) {
        try (var ws = client.webSocket(route + "/other")) {
            ws.send(new byte[] {5});
            assertThat(ws.receiveText()).isEqualTo("binary 1 5..5");
        }
    }

    private void tooBig(String route, byte[]... frames) throws InterruptedException {
        try (var ws = client.webSocket(at(route))) {
            for (byte[] f : frames) {
                ws.sendRaw(f);
            }
            assertServerCloses(ws, 1009);
        }
        assertHandlerSaw(route, 1009);
        assertStillServing(route);
    }

    // ---------------------------------------------------------------- message size

    @Test
    void the_default_message_limit_is_one_mib_and_a_message_of_exactly_that_is_delivered() {
        try (var ws = client.webSocket(at("/default"))) {
            ws.send(bytes(MIB));
            assertThat(ws.receiveText()).isEqualTo("binary " + MIB + " 1..2");
        }
    }

    @Test
    void a_message_one_byte_over_the_default_limit_in_one_frame_is_closed_1009() throws InterruptedException {
        tooBig("/default", frame(true, BINARY, bytes(MIB + 1)));
    }

    @Test
    void a_message_over_the_default_limit_in_fragments_is_closed_1009() throws InterruptedException {
        tooBig("/default", fragments(BINARY, MIB + 1, 5));
    }

    @Test
    void a_per_route_message_limit_delivers_exactly_the_limit_in_one_frame_and_in_fragments() {
        try (var ws = client.webSocket(at("/small"))) {
            ws.send(bytes(1024));
            assertThat(ws.receiveText()).isEqualTo("binary 1024 1..2");
            ws.sendRaw(fragments(BINARY, 1024, 4));
            assertThat(ws.receiveText()).isEqualTo("binary 1024 1..2");
            // 341 three-byte characters and one byte: 1024 bytes of UTF-8.
            ws.send("€".repeat(341) + "!");
            assertThat(ws.receiveText()).isEqualTo("text 1024");
        }
    }

    @Test
    void a_per_route_message_limit_refuses_one_byte_more_in_one_frame() throws InterruptedException {
        tooBig("/small", frame(true, TEXT, bytes(1025)));
    }

    @Test
    void a_per_route_message_limit_refuses_one_byte_more_in_fragments() throws InterruptedException {
        tooBig("/small", fragments(BINARY, 1025, 3));
    }

    @Test
    void a_text_message_over_the_limit_by_its_last_multibyte_character_is_closed_1009() throws InterruptedException {
        tooBig("/small", frame(true, TEXT, ("a".repeat(1022) + "€").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void the_close_comes_as_soon_as_the_fragments_pass_the_limit_not_at_the_end_of_the_message()
            throws InterruptedException {
        // Two fragments of 600 bytes pass 1024; the message never finishes.
        tooBig("/small", frame(false, BINARY, bytes(600)), frame(false, CONTINUATION, bytes(600)));
    }

    // ---------------------------------------------------------------- frame size

    @Test
    void a_frame_over_a_smaller_per_route_frame_limit_is_closed_1009() throws InterruptedException {
        tooBig("/frames", frame(true, BINARY, bytes(257)));
    }

    @Test
    void a_continuation_over_the_frame_limit_is_closed_1009() throws InterruptedException {
        tooBig("/frames", frame(false, BINARY, bytes(100)), frame(true, CONTINUATION, bytes(257)));
    }

    @Test
    void a_message_up_to_the_message_limit_in_frames_at_the_frame_limit_is_delivered() {
        try (var ws = client.webSocket(at("/frames"))) {
            ws.send(bytes(256));
            assertThat(ws.receiveText()).isEqualTo("binary 256 1..2");
            ws.sendRaw(fragments(BINARY, 4096, 16));
            assertThat(ws.receiveText()).isEqualTo("binary 4096 1..2");
        }
    }

    @Test
    void frames_within_the_frame_limit_still_count_against_the_message_limit() throws InterruptedException {
        tooBig("/frames", fragments(BINARY, 4097, 17));
    }

    // ---------------------------------------------------------------- fragments

    @Test
    void a_per_route_fragment_limit_delivers_exactly_that_many_fragments() {
        try (var ws = client.webSocket(at("/fragments"))) {
            ws.sendRaw(fragments(BINARY, 8, 8));
            assertThat(ws.receiveText()).isEqualTo("binary 8 1..1"); // 1-byte fragments: each is 1
        }
    }

    @Test
    void one_fragment_more_than_a_per_route_fragment_limit_is_closed_1009() throws InterruptedException {
        tooBig("/fragments", fragments(BINARY, 9, 9));
    }

    @Test
    void empty_fragments_count_against_the_fragment_limit() throws InterruptedException {
        var out = new ByteArrayOutputStream();
        out.writeBytes(frame(false, TEXT, new byte[0]));
        for (int i = 0; i < 7; i++) {
            out.writeBytes(frame(false, CONTINUATION, new byte[0]));
        }
        out.writeBytes(frame(false, CONTINUATION, new byte[0])); // the ninth, unfinished
        tooBig("/fragments", out.toByteArray());
    }

    @Test
    void the_default_fragment_limit_is_16384_even_for_empty_continuation_frames() throws InterruptedException {
        try (var ws = client.webSocket(at("/default"))) {
            ws.sendRaw(emptyFragments(16_384, new byte[] {9}));
            assertThat(ws.receiveText()).isEqualTo("binary 1 9..9");
            ws.sendRaw(emptyFragments(16_385, new byte[] {9}));
            assertServerCloses(ws, 1009);
        }
        assertHandlerSaw("/default", 1009);
        assertStillServing("/default");
    }

    /** A binary message in {@code count} frames: an empty first frame, empty continuations, then {@code last}. */
    private static byte[] emptyFragments(int count, byte[] last) {
        var out = new ByteArrayOutputStream(count * 6 + 16);
        out.writeBytes(frame(false, BINARY, new byte[0]));
        for (int i = 1; i < count - 1; i++) {
            out.writeBytes(frame(false, CONTINUATION, new byte[0]));
        }
        out.writeBytes(frame(true, CONTINUATION, last));
        return out.toByteArray();
    }
}
