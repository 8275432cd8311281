package dev.weft.test;

import static dev.weft.test.WebSocketClient.BINARY;
import static dev.weft.test.WebSocketClient.CLOSE;
import static dev.weft.test.WebSocketClient.CONTINUATION;
import static dev.weft.test.WebSocketClient.PING;
import static dev.weft.test.WebSocketClient.PONG;
import static dev.weft.test.WebSocketClient.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.ws.Message;
import dev.weft.ws.WebSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6455 violations sent as raw frames (issue #11): each is answered with its Close code before
 * the TCP close (never a bare drop), the handler learns the same code, and the server goes on
 * serving new sessions. One server for the class; the tests run one after another.
 */
class WebSocketProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How each echo session ended, as its handler saw it, by path (each test uses its own). */
    private static final Map<String, BlockingQueue<Message.Close>> ENDS = new ConcurrentHashMap<>();
    private static final AtomicInteger SESSIONS = new AtomicInteger();
    private static TestClient client;
    /** This test's path. */
    private String path;

    static void echo(WebSocket socket) throws Exception {
        while (true) {
            Message m = socket.receive();
            switch (m) {
                case Message.Text t -> socket.send(t.text());
                case Message.Binary b -> socket.send(b.bytes());
                case Message.Close c -> {
                    ends(socket.request().path()).add(c);
                    return;
                }
            }
        }
    }

    @BeforeAll
    static void start() {
        client = TestClient.start(Router.builder().webSocket("/echo/{test}", WebSocketProtocolTest::echo).build());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @BeforeEach
    void newPath() {
        path = "/echo/" + SESSIONS.incrementAndGet();
    }

    private static BlockingQueue<Message.Close> ends(String path) {
        return ENDS.computeIfAbsent(path, p -> new LinkedBlockingQueue<>());
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Sends {@code bytes} on a fresh session, then checks that the server answers with a Close
     * frame carrying {@code code}, closes the connection, that the handler saw {@code code}, and
     * that a new session is served.
     */
    private void violation(int code, byte[]... frames) {
        try (var ws = client.webSocket(path)) {
            for (byte[] frame : frames) {
                ws.sendRaw(frame);
            }
            assertServerCloses(ws, code);
        }
        assertHandlerSaw(code);
        assertStillServing();
    }

    /** The server's next Close frame (pings answered, data skipped) carries {@code code}, then the connection ends. */
    static void assertServerCloses(WebSocketClient ws, int code) {
        WebSocketClient.Frame close = closeFrame(ws);
        assertThat(close.closeCode()).as("close code (reason '%s')", close.closeReason()).isEqualTo(code);
        assertThat(close.payload().length).as("a Close payload fits a control frame").isLessThanOrEqualTo(125);
        assertThat(ws.awaitDisconnect(WAIT)).as("the server closes the connection").isTrue();
    }

    /** The next Close frame, failing on a bare drop. */
    static WebSocketClient.Frame closeFrame(WebSocketClient ws) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var frame = ws.frame(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (frame.isEmpty()) {
                throw new AssertionError("the connection ended (or stalled) without a Close frame");
            }
            if (frame.get().opcode() == CLOSE) {
                return frame.get();
            }
        }
        throw new AssertionError("no Close frame within " + WAIT);
    }

    private Message.Close handlerEnd() {
        try {
            Message.Close end = ends(path).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(end).as("the handler's receive() returned a Close").isNotNull();
            return end;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private void assertHandlerSaw(int code) {
        Message.Close end = handlerEnd();
        assertThat(end.code()).as("the handler's close code (reason '%s')", end.reason()).isEqualTo(code);
    }

    private static void assertStillServing() {
        try (var ws = client.webSocket("/echo/other")) {
            ws.send("still serving");
            assertThat(ws.receiveText()).isEqualTo("still serving");
        }
    }

    private static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
        return WebSocketClient.encode(fin, rsv, opcode, payload, true);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] closePayload(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return payload;
    }

    /** A frame header written by hand: {@code b0}, then {@code lengthBytes} (mask bit set by the caller), mask, payload. */
    private static byte[] handMade(int b0, byte[] lengthBytes, byte[] payload) {
        var out = new ByteArrayOutputStream();
        out.write(b0);
        out.writeBytes(lengthBytes);
        out.writeBytes(new byte[4]); // a zero mask: the payload goes as it is
        out.writeBytes(payload);
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- framing

    @Test
    void an_unmasked_client_frame_is_closed_1002() {
        violation(1002, WebSocketClient.encode(true, 0, TEXT, text("hello"), false));
    }

    @Test
    void an_unmasked_empty_ping_is_closed_1002() {
        violation(1002, WebSocketClient.encode(true, 0, PING, new byte[0], false));
    }

    @ParameterizedTest(name = "rsv={0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void reserved_bits_without_an_extension_are_closed_1002(int rsv) {
        violation(1002, frame(true, rsv, TEXT, text("rsv")));
    }

    @Test
    void reserved_bits_on_a_ping_are_closed_1002() {
        violation(1002, frame(true, 4, PING, text("p")));
    }

    @ParameterizedTest(name = "opcode={0}")
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reserved_opcodes_are_closed_1002(int opcode) {
        violation(1002, frame(true, 0, opcode, text("x")));
    }

    @Test
    void a_reserved_opcode_after_a_valid_message_is_closed_1002_after_the_echo() {
        try (var ws = client.webSocket(path)) {
            ws.send("first");
            assertThat(ws.receiveText()).isEqualTo("first");
            ws.sendRaw(frame(true, 0, 5, text("x")));
            assertServerCloses(ws, 1002);
        }
        assertHandlerSaw(1002);
        assertStillServing();
    }

    @ParameterizedTest(name = "opcode={0}")
    @ValueSource(ints = {PING, PONG, CLOSE})
    void a_fragmented_control_frame_is_closed_1002(int opcode) {
        violation(1002, frame(false, 0, opcode, opcode == CLOSE ? closePayload(1000, new byte[0]) : text("x")));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {126, 1000, 65535})
    void a_ping_over_125_bytes_is_closed_1002(int size) {
        violation(1002, frame(true, 0, PING, new byte[size]));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {126, 65535})
    void a_pong_or_close_over_125_bytes_is_closed_1002(int size) {
        violation(1002, frame(true, 0, PONG, new byte[size]));
        violation(1002, frame(true, 0, CLOSE, closePayload(1000, new byte[size - 2])));
    }

    @Test
    void a_ping_of_125_bytes_is_answered_with_the_same_payload() {
        byte[] payload = new byte[125];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        try (var ws = client.webSocket(path)) {
            ws.sendFrame(true, 0, PING, payload);
            var pong = ws.frame(WAIT.toMillis()).orElseThrow();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(pong.payload()).isEqualTo(payload);
        }
    }

    @Test
    void an_unsolicited_pong_is_ignored() {
        try (var ws = client.webSocket(path)) {
            ws.sendFrame(true, 0, PONG, text("unsolicited"));
            ws.send("after");
            assertThat(ws.receiveText()).isEqualTo("after");
        }
    }

    @Test
    void a_two_byte_length_that_fits_in_seven_bits_is_closed_1002() {
        violation(1002, handMade(0x81, new byte[] {(byte) (0x80 | 126), 0, 5}, text("hello")));
    }

    @Test
    void an_eight_byte_length_that_fits_in_two_bytes_is_closed_1002() {
        violation(1002, handMade(0x81, new byte[] {(byte) (0x80 | 127), 0, 0, 0, 0, 0, 0, 0, 5}, text("hello")));
    }

    @Test
    void an_eight_byte_length_with_the_high_bit_set_is_closed_1002() {
        violation(1002, handMade(0x82, new byte[] {(byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 5}, new byte[0]));
    }

    @Test
    void a_huge_announced_frame_is_closed_1009_before_its_payload() {
        // 2^40 bytes announced, none sent: refused on the header alone.
        violation(1009, handMade(0x82, new byte[] {(byte) (0x80 | 127), 0, 0, 1, 0, 0, 0, 0, 0}, new byte[0]));
    }

    // ---------------------------------------------------------------- fragmentation

    @Test
    void a_continuation_without_a_start_is_closed_1002() {
        violation(1002, frame(true, 0, CONTINUATION, text("orphan")));
    }

    @Test
    void a_non_final_continuation_without_a_start_is_closed_1002() {
        violation(1002, frame(false, 0, CONTINUATION, text("orphan")));
    }

    @ParameterizedTest(name = "second opcode={0}")
    @ValueSource(ints = {TEXT, BINARY})
    void a_new_data_frame_inside_a_fragmented_message_is_closed_1002(int opcode) {
        violation(1002, frame(false, 0, TEXT, text("first half")), frame(true, 0, opcode, text("interloper")));
    }

    @Test
    void interleaved_fragmented_messages_are_closed_1002() {
        violation(1002, frame(false, 0, BINARY, new byte[] {1}), frame(false, 0, TEXT, text("a")),
                frame(true, 0, CONTINUATION, new byte[] {2}));
    }

    @Test
    void a_continuation_after_a_finished_message_is_closed_1002() {
        try (var ws = client.webSocket(path)) {
            ws.sendFrame(false, 0, TEXT, text("a"));
            ws.sendFrame(true, 0, CONTINUATION, text("b"));
            assertThat(ws.receiveText()).isEqualTo("ab");
            ws.sendFrame(true, 0, CONTINUATION, text("c"));
            assertServerCloses(ws, 1002);
        }
        assertHandlerSaw(1002);
        assertStillServing();
    }

    @Test
    void pings_and_pongs_between_fragments_are_valid_and_answered_at_once() {
        try (var ws = client.webSocket(path)) {
            ws.sendFrame(false, 0, TEXT, text("frag"));
            ws.sendFrame(true, 0, PING, text("mid"));
            var pong = ws.frame(WAIT.toMillis()).orElseThrow();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(new String(pong.payload(), StandardCharsets.UTF_8)).isEqualTo("mid");
            ws.sendFrame(false, 0, CONTINUATION, text("men"));
            ws.sendFrame(true, 0, PONG, new byte[0]);
            ws.sendFrame(true, 0, CONTINUATION, text("ted"));
            assertThat(ws.receiveText()).isEqualTo("fragmented");
        }
    }

    @Test
    void empty_fragments_join_into_one_message() {
        try (var ws = client.webSocket(path)) {
            ws.sendFrame(false, 0, BINARY, new byte[0]);
            ws.sendFrame(false, 0, CONTINUATION, new byte[] {7});
            ws.sendFrame(false, 0, CONTINUATION, new byte[0]);
            ws.sendFrame(true, 0, CONTINUATION, new byte[0]);
            assertThat(ws.receive()).isInstanceOfSatisfying(Message.Binary.class,
                    b -> assertThat(b.bytes()).containsExactly(7));
            ws.sendFrame(true, 0, TEXT, new byte[0]);
            assertThat(ws.receiveText()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- UTF-8

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "ff",             // never valid
        "c0 af",          // overlong '/'
        "e0 80 af",       // overlong '/' in three bytes
        "f0 80 80 af",    // overlong '/' in four bytes
        "ed a0 80",       // a UTF-16 surrogate (U+D800)
        "ed bf bf",       // a UTF-16 surrogate (U+DFFF)
        "f4 90 80 80",    // above U+10FFFF
        "f8 88 80 80 80", // a five-byte form
        "80",             // a lone continuation byte
        "68 65 6c 6c 6f c3", // truncated at the end of the message
        "ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64"})
    void invalid_utf8_in_a_text_frame_is_closed_1007(String bytes) {
        violation(1007, frame(true, 0, TEXT, hex(bytes)));
    }

    @Test
    void invalid_utf8_in_a_binary_frame_is_just_bytes() {
        try (var ws = client.webSocket(path)) {
            ws.send(hex("ed a0 80 ff"));
            assertThat(ws.receive()).isInstanceOfSatisfying(Message.Binary.class,
                    b -> assertThat(b.bytes()).isEqualTo(hex("ed a0 80 ff")));
        }
    }

    @Test
    void a_code_point_split_across_fragments_is_valid() {
        try (var ws = client.webSocket(path)) {
            byte[] euro = text("€"); // e2 82 ac
            ws.sendFrame(false, 0, TEXT, new byte[] {euro[0]});
            ws.sendFrame(false, 0, CONTINUATION, new byte[] {euro[1]});
            ws.sendFrame(true, 0, CONTINUATION, new byte[] {euro[2]});
            assertThat(ws.receiveText()).isEqualTo("€");
        }
    }

    @Test
    void invalid_utf8_split_mid_code_point_across_fragments_is_closed_1007() {
        // "κ" is ce ba; the continuation brings 0x41 where a continuation byte must be.
        violation(1007, frame(false, 0, TEXT, hex("ce")), frame(true, 0, CONTINUATION, hex("41")));
    }

    @Test
    void a_surrogate_split_across_fragments_is_closed_1007() {
        violation(1007, frame(false, 0, TEXT, hex("61 ed")), frame(false, 0, CONTINUATION, hex("a0")),
                frame(true, 0, CONTINUATION, hex("80")));
    }

    @Test
    void a_message_truncated_mid_code_point_in_its_last_fragment_is_closed_1007() {
        violation(1007, frame(false, 0, TEXT, text("ok ")), frame(true, 0, CONTINUATION, hex("f0 9f 98")));
    }

    @Test
    void invalid_utf8_is_found_in_the_first_fragment_before_the_message_ends() {
        // Fail fast (Autobahn 6.4): the Close comes although the message never finishes.
        try (var ws = client.webSocket(path)) {
            ws.sendFrame(false, 0, TEXT, hex("ce ba f4 90 80 80"));
            assertServerCloses(ws, 1007);
        }
        assertHandlerSaw(1007);
    }

    // ---------------------------------------------------------------- close frames

    @Test
    void a_close_payload_of_one_byte_is_closed_1002() {
        violation(1002, frame(true, 0, CLOSE, new byte[] {3}));
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void an_invalid_close_code_is_closed_1002(int code) {
        violation(1002, frame(true, 0, CLOSE, closePayload(code, new byte[0])));
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999})
    void a_valid_close_code_is_echoed(int code) {
        try (var ws = client.webSocket(path)) {
            ws.close(code, "bye");
            assertServerCloses(ws, code);
        }
        assertHandlerSaw(code);
    }

    @Test
    void an_empty_close_is_answered_with_an_empty_close_and_the_handler_sees_1005() {
        try (var ws = client.webSocket(path)) {
            ws.sendFrame(true, 0, CLOSE, new byte[0]);
            var close = closeFrame(ws);
            assertThat(close.payload()).isEmpty();
            assertThat(ws.awaitDisconnect(WAIT)).isTrue();
        }
        assertHandlerSaw(1005);
    }

    @Test
    void the_close_reason_reaches_the_handler() {
        try (var ws = client.webSocket(path)) {
            ws.close(4001, "déjà vu");
            assertServerCloses(ws, 4001);
        }
        assertThat(handlerEnd()).isEqualTo(new Message.Close(4001, "déjà vu"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ff", "ed a0 80", "c0 af", "ce ba e1 bd b9 cf 83 ce bc ce b5 f4 90 80 80", "e2 82"})
    void invalid_utf8_in_a_close_reason_is_closed_1007(String reason) {
        violation(1007, frame(true, 0, CLOSE, closePayload(1000, hex(reason))));
    }

    @Test
    void data_after_a_close_is_ignored() {
        try (var ws = client.webSocket(path)) {
            ws.sendRaw(concat(frame(true, 0, CLOSE, closePayload(1000, new byte[0])), frame(true, 0, TEXT, text("late")),
                    frame(true, 0, PING, text("late"))));
            var close = closeFrame(ws); // no echo of "late", no pong
            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(ws.awaitDisconnect(WAIT)).isTrue();
        }
        assertHandlerSaw(1000);
        assertStillServing();
    }

    @Test
    void garbage_after_a_close_is_ignored() {
        try (var ws = client.webSocket(path)) {
            ws.sendRaw(concat(frame(true, 0, CLOSE, closePayload(1000, new byte[0])), hex("ff ff ff ff 00 01 02")));
            assertThat(closeFrame(ws).closeCode()).isEqualTo(1000);
            assertThat(ws.awaitDisconnect(WAIT)).isTrue();
        }
        assertHandlerSaw(1000);
    }

    @Test
    void a_close_in_the_middle_of_a_fragmented_message_ends_the_session() {
        try (var ws = client.webSocket(path)) {
            ws.sendFrame(false, 0, TEXT, text("never "));
            ws.close(1000, "");
            assertServerCloses(ws, 1000);
        }
        assertHandlerSaw(1000);
    }

    @Test
    void frames_split_into_single_bytes_are_joined() {
        try (var ws = client.webSocket(path)) {
            byte[] bytes = frame(true, 0, TEXT, text("byte by byte"));
            for (byte b : bytes) {
                ws.sendRaw(new byte[] {b});
            }
            assertThat(ws.receiveText()).isEqualTo("byte by byte");
        }
    }

    @Test
    void many_violations_in_a_row_leave_the_server_serving() {
        for (int i = 0; i < 30; i++) {
            try (var ws = client.webSocket(path)) {
                ws.sendRaw(switch (i % 3) {
                    case 0 -> WebSocketClient.encode(true, 0, TEXT, text("x"), false);
                    case 1 -> frame(true, 0, TEXT, hex("ff"));
                    default -> frame(true, 0, CLOSE, closePayload(1005, new byte[0]));
                });
                assertThat(closeFrame(ws).closeCode()).isIn(1002, 1007);
                assertThat(ws.awaitDisconnect(WAIT)).isTrue();
            }
        }
        assertStillServing();
    }

    @Test
    void a_peer_that_leaves_without_a_close_frame_ends_the_session_with_1006_at_once() {
        // Default heartbeat (25 s + 10 s): the end must come from the TCP close, not the heartbeat.
        try (var ws = client.webSocket(path)) {
            ws.send("hello");
            assertThat(ws.receiveText()).isEqualTo("hello");
        } // closes the socket: a FIN, no Close frame
        assertHandlerSaw(Message.Close.ABNORMAL);
        assertStillServing();
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
