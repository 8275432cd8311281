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
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate (RFC 7692; issue #11, item 7) with a client that compresses with the JDK's
 * zlib: opt-in per route, echo both ways, the message limit applied to the inflated size (a small
 * compressed message cannot inflate past it), offers the JDK cannot honour declined.
 */
class WebSocketCompressionTest {
    private static final String OFFER = "permessage-deflate; client_max_window_bits";
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final int RSV1 = 4;

    private final BlockingQueue<Message.Close> ends = new LinkedBlockingQueue<>();

    void echo(WebSocket socket) throws Exception {
        while (true) {
            switch (socket.receive()) {
                case Message.Text t -> socket.send(t.text());
                case Message.Binary b -> socket.send(b.bytes());
                case Message.Close c -> {
                    ends.add(c);
                    return;
                }
            }
        }
    }

    private Router app() {
        return Router.builder()
                .webSocket("/deflate", WebSocketOptions.builder().compression(true).build(), this::echo)
                .webSocket("/small", WebSocketOptions.builder().compression(true).maxMessageBytes(64 * 1024).build(),
                        this::echo)
                .webSocket("/plain", this::echo)
                .build();
    }

    /** The client's half of the extension: one deflater and one inflater for the session (context takeover). */
    private static final class Deflate {
        final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        final Inflater inflater = new Inflater(true);

        /** {@code data} compressed and flushed, without the 00 00 FF FF tail (RFC 7692 §7.2.1). */
        byte[] compress(byte[] data) {
            byte[] all = compressKeepingTail(data);
            assertThat(Arrays.copyOfRange(all, all.length - 4, all.length)).isEqualTo(TAIL);
            return Arrays.copyOf(all, all.length - 4);
        }

        /** {@code data} compressed and flushed, tail included: a fragment that is not the message's last. */
        byte[] compressKeepingTail(byte[] data) {
            deflater.setInput(data);
            var out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            do {
                n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                out.write(buf, 0, n);
            } while (n == buf.length);
            return out.toByteArray();
        }

        byte[] inflate(byte[] payload) throws DataFormatException {
            byte[] in = Arrays.copyOf(payload, payload.length + 4);
            System.arraycopy(TAIL, 0, in, payload.length, 4);
            inflater.setInput(in);
            var out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            while (!inflater.needsInput()) {
                int n = inflater.inflate(buf);
                out.write(buf, 0, n);
                if (n == 0 && inflater.needsInput()) {
                    break;
                }
            }
            return out.toByteArray();
        }
    }

    /** The next data frame from the server, inflated if it has RSV1. */
    private static byte[] receiveData(WebSocketClient ws, Deflate deflate, int opcode) throws DataFormatException {
        var frame = ws.frame(10_000).orElseThrow(() -> new AssertionError("no frame"));
        assertThat(frame.opcode()).isEqualTo(opcode);
        assertThat(frame.fin()).isTrue();
        return (frame.rsv() & RSV1) != 0 ? deflate.inflate(frame.payload()) : frame.payload();
    }

    private static byte[] zeros(int size) {
        return new byte[size];
    }

    @Test
    void an_offer_is_accepted_and_compressed_messages_echo_both_ways() throws Exception {
        try (var client = TestClient.start(app());
                var ws = client.webSocket("/deflate", "sec-websocket-extensions", OFFER)) {
            assertThat(ws.handshake().header("sec-websocket-extensions")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("permessage-deflate"));
            var deflate = new Deflate();
            for (String text : new String[] {"hello", "hello", "héllo wörld €", "x".repeat(100_000)}) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                ws.sendFrame(true, RSV1, TEXT, deflate.compress(bytes));
                assertThat(new String(receiveData(ws, deflate, TEXT), StandardCharsets.UTF_8)).isEqualTo(text);
            }
            byte[] binary = new byte[50_000];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = (byte) (i % 7);
            }
            ws.sendFrame(true, RSV1, BINARY, deflate.compress(binary));
            assertThat(receiveData(ws, deflate, BINARY)).isEqualTo(binary);
        }
    }

    @Test
    void the_server_compresses_what_it_sends() throws Exception {
        try (var client = TestClient.start(app());
                var ws = client.webSocket("/deflate", "sec-websocket-extensions", OFFER)) {
            var deflate = new Deflate();
            String text = "a".repeat(10_000);
            ws.sendFrame(true, RSV1, TEXT, deflate.compress(text.getBytes(StandardCharsets.UTF_8)));
            var frame = ws.frame(10_000).orElseThrow();
            assertThat(frame.rsv() & RSV1).isEqualTo(RSV1);
            assertThat(frame.payload().length).isLessThan(1_000);
            assertThat(new String(deflate.inflate(frame.payload()), StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }

    @Test
    void uncompressed_and_fragmented_compressed_messages_are_accepted_in_a_compressed_session() throws Exception {
        try (var client = TestClient.start(app());
                var ws = client.webSocket("/deflate", "sec-websocket-extensions", OFFER)) {
            var deflate = new Deflate();
            ws.sendFrame(true, 0, TEXT, "plain".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(receiveData(ws, deflate, TEXT), StandardCharsets.UTF_8)).isEqualTo("plain");
            byte[] compressed = deflate.compress("fragmented and compressed".getBytes(StandardCharsets.UTF_8));
            int half = compressed.length / 2;
            ws.sendFrame(false, RSV1, TEXT, Arrays.copyOf(compressed, half));
            ws.sendFrame(true, 0, CONTINUATION, Arrays.copyOfRange(compressed, half, compressed.length));
            assertThat(new String(receiveData(ws, deflate, TEXT), StandardCharsets.UTF_8))
                    .isEqualTo("fragmented and compressed");
        }
    }

    @Test
    void a_small_compressed_message_that_inflates_past_the_limit_is_closed_1009() throws Exception {
        try (var client = TestClient.start(app())) {
            try (var ws = client.webSocket("/small", "sec-websocket-extensions", OFFER)) {
                byte[] bomb = new Deflate().compress(zeros(16 * 1024 * 1024)); // 16 MiB of zeros
                assertThat(bomb.length).isLessThan(20 * 1024);
                ws.sendFrame(true, RSV1, BINARY, bomb);
                assertServerCloses(ws, 1009);
            }
            assertThat(ends.poll(10, TimeUnit.SECONDS)).extracting(Message.Close::code).isEqualTo(1009);
            try (var ws = client.webSocket("/small", "sec-websocket-extensions", OFFER)) {
                var deflate = new Deflate();
                ws.sendFrame(true, RSV1, BINARY, deflate.compress(zeros(64 * 1024))); // exactly the limit
                var frame = ws.frame(10_000).orElseThrow();
                assertThat(frame.opcode()).as("close %s %s", frame.closeCode(), frame.closeReason()).isEqualTo(BINARY);
                assertThat(deflate.inflate(frame.payload())).hasSize(64 * 1024);
                byte[] mixed = new byte[64 * 1024];
                new java.util.Random(11).nextBytes(mixed);
                Arrays.fill(mixed, 0, 32 * 1024, (byte) 'z');
                ws.sendFrame(true, RSV1, BINARY, deflate.compress(mixed));
                assertThat(receiveData(ws, deflate, BINARY)).isEqualTo(mixed);
            }
        }
    }

    @Test
    void a_one_kib_compressed_message_cannot_inflate_past_the_default_limit() throws Exception {
        try (var client = TestClient.start(app());
                var ws = client.webSocket("/deflate", "sec-websocket-extensions", OFFER)) {
            byte[] bomb = new Deflate().compress(zeros(1024 * 1024 + 1)); // about 1 KiB
            assertThat(bomb.length).isLessThan(2 * 1024);
            ws.sendFrame(true, RSV1, BINARY, bomb);
            assertServerCloses(ws, 1009);
        }
    }

    @Test
    void compressed_fragments_that_together_inflate_past_the_limit_are_closed_1009() throws Exception {
        try (var client = TestClient.start(app());
                var ws = client.webSocket("/small", "sec-websocket-extensions", OFFER)) {
            var deflate = new Deflate();
            // Each fragment inflates to 40 KiB (under the 64 KiB limit), the message to 80 KiB.
            ws.sendFrame(false, RSV1, BINARY, deflate.compressKeepingTail(zeros(40 * 1024)));
            ws.sendFrame(true, 0, CONTINUATION, deflate.compress(zeros(40 * 1024)));
            assertServerCloses(ws, 1009);
        }
    }

    @Test
    void corrupt_compressed_data_is_answered_with_a_close_frame() throws Exception {
        try (var client = TestClient.start(app())) {
            try (var ws = client.webSocket("/deflate", "sec-websocket-extensions", OFFER)) {
                ws.sendFrame(true, RSV1, TEXT, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3});
                assertServerCloses(ws, 1007);
            }
            assertThat(ends.poll(10, TimeUnit.SECONDS)).extracting(Message.Close::code).isEqualTo(1007);
            // The session was freed: shutdown does not wait for it (the default deadline is 10 s).
            long start = System.nanoTime();
            client.server().close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        }
    }

    @Test
    void rsv2_and_rsv3_are_closed_1002_even_in_a_compressed_session() throws Exception {
        try (var client = TestClient.start(app())) {
            for (int rsv : new int[] {1, 2, 3, 5, 6}) {
                try (var ws = client.webSocket("/deflate", "sec-websocket-extensions", OFFER)) {
                    byte[] x = "x".getBytes(StandardCharsets.UTF_8);
                    // With RSV1 the payload is compressed, so only the other bit is wrong.
                    ws.sendFrame(true, rsv, TEXT, (rsv & RSV1) != 0 ? new Deflate().compress(x) : x);
                    assertServerCloses(ws, 1002);
                }
            }
        }
    }

    @Test
    void rsv1_on_a_control_frame_is_closed_1002() throws Exception {
        try (var client = TestClient.start(app());
                var ws = client.webSocket("/deflate", "sec-websocket-extensions", OFFER)) {
            ws.sendFrame(true, RSV1, WebSocketClient.PING, new byte[0]);
            assertServerCloses(ws, 1002);
        }
    }

    @Test
    void an_offer_with_server_max_window_bits_below_15_is_declined() {
        try (var client = TestClient.start(app())) {
            try (var ws = client.webSocket("/deflate", "sec-websocket-extensions",
                    "permessage-deflate; server_max_window_bits=9")) {
                assertThat(ws.handshake().header("sec-websocket-extensions")).isEmpty();
                ws.send("uncompressed");
                var frame = ws.frame(10_000).orElseThrow();
                assertThat(frame.rsv()).isZero();
                assertThat(new String(frame.payload(), StandardCharsets.UTF_8)).isEqualTo("uncompressed");
            }
            // The next offer in the list is taken.
            try (var ws = client.webSocket("/deflate", "sec-websocket-extensions",
                    "permessage-deflate; server_max_window_bits=9, permessage-deflate")) {
                assertThat(ws.handshake().header("sec-websocket-extensions")).hasValueSatisfying(v -> assertThat(v)
                        .startsWith("permessage-deflate").doesNotContain("server_max_window_bits"));
            }
        }
    }

    @Test
    void a_client_window_below_15_is_fine_for_the_servers_inflater() throws Exception {
        try (var client = TestClient.start(app());
                var ws = client.webSocket("/deflate", "sec-websocket-extensions", "permessage-deflate; client_max_window_bits=9")) {
            assertThat(ws.handshake().header("sec-websocket-extensions")).isPresent();
            var deflate = new Deflate(); // the JDK compresses with a 15-bit window, but a 9-bit stream is a subset
            ws.sendFrame(true, RSV1, TEXT, deflate.compress("small window".getBytes(StandardCharsets.UTF_8)));
            assertThat(new String(receiveData(ws, deflate, TEXT), StandardCharsets.UTF_8)).isEqualTo("small window");
        }
    }

    @Test
    void compression_is_off_by_default_the_offer_is_ignored_and_rsv1_is_closed_1002() {
        try (var client = TestClient.start(app());
                var ws = client.webSocket("/plain", "sec-websocket-extensions", OFFER)) {
            assertThat(ws.handshake().header("sec-websocket-extensions")).isEmpty();
            ws.sendFrame(true, RSV1, TEXT, new Deflate().compress("hi".getBytes(StandardCharsets.UTF_8)));
            assertServerCloses(ws, 1002);
        }
    }

    @Test
    void an_unknown_extension_is_ignored() {
        try (var client = TestClient.start(app());
                var ws = client.webSocket("/deflate", "sec-websocket-extensions", "x-webkit-unknown; foo=1")) {
            assertThat(ws.handshake().header("sec-websocket-extensions")).isEmpty();
            ws.send("ok");
            assertThat(ws.receiveText()).isEqualTo("ok");
        }
    }
}
