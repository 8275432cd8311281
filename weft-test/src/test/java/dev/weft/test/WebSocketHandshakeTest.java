package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Header;
import dev.weft.extract.RejectedException;
import dev.weft.extract.Rejection;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import dev.weft.ws.Message;
import dev.weft.ws.WebSocket;
import dev.weft.ws.WebSocketOptions;
import dev.weft.ws.WebSocketUpgrade;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The opening handshake (RFC 6455 §4): what is accepted, and every refusal as an HTTP problem. */
class WebSocketHandshakeTest {

    static void echo(WebSocket socket) throws Exception {
        for (Message m = socket.receive(); !(m instanceof Message.Close); m = socket.receive()) {
            switch (m) {
                case Message.Text t -> socket.send(t.text());
                case Message.Binary b -> socket.send(b.bytes());
                default -> { }
            }
        }
    }

    static Router app() {
        return Router.builder()
                .webSocket("/echo", WebSocketHandshakeTest::echo)
                .webSocket("/chat", WebSocketOptions.builder().protocols("v2.chat", "v1.chat").build(),
                        socket -> socket.send("protocol=" + socket.protocol().orElse("none")))
                .webSocket("/strict", WebSocketOptions.builder().protocols("v1").requireProtocol(true).build(),
                        socket -> socket.send("ok"))
                .webSocket("/partners", WebSocketOptions.builder().allowedOrigins("https://partner.example").build(),
                        socket -> socket.send("hi"))
                .webSocket("/public", WebSocketOptions.builder().allowAnyOrigin().build(), socket -> socket.send("open"))
                .get("/interim", () -> dev.weft.response.Response.of(Status.SWITCHING_PROTOCOLS))
                .get("/private", Header.optional("authorization"), WebSocketUpgrade.extractor(), (auth, ws) -> {
                    if (auth.isEmpty()) {
                        throw new RejectedException(Rejection.of(Status.UNAUTHORIZED, "sign in first"));
                    }
                    return ws.accept(socket -> socket.send("welcome"));
                })
                .build();
    }

    @Test
    void echoes_text_and_binary_messages() {
        try (var client = TestClient.start(app()); var ws = client.webSocket("/echo")) {
            assertThat(ws.handshake().status()).isEqualTo(101);
            assertThat(ws.handshake().header("upgrade")).contains("websocket");
            ws.send("hello");
            assertThat(ws.receiveText()).isEqualTo("hello");
            ws.send(new byte[] {1, 2, 3});
            assertThat(ws.receive()).isInstanceOfSatisfying(Message.Binary.class,
                    b -> assertThat(b.bytes()).containsExactly(1, 2, 3));
            ws.send("é€😀");
            assertThat(ws.receiveText()).isEqualTo("é€😀");
            ws.close(1000, "bye");
            assertThat(ws.awaitClose(Duration.ofSeconds(5)).code()).isEqualTo(1000);
            assertThat(ws.awaitDisconnect(Duration.ofSeconds(5))).isTrue();
        }
    }

    /** Another implementation: the JDK's WebSocket client (fragments, pings, its closing handshake). */
    @Test
    void the_jdk_websocket_client_interoperates() throws Exception {
        try (var client = TestClient.start(app());
                var http = java.net.http.HttpClient.newHttpClient()) {
            var received = new java.util.concurrent.LinkedBlockingQueue<String>();
            var closed = new java.util.concurrent.CompletableFuture<Integer>();
            StringBuilder parts = new StringBuilder();
            java.net.http.WebSocket ws = http.newWebSocketBuilder()
                    .subprotocols("v1.chat")
                    .buildAsync(java.net.URI.create("ws://127.0.0.1:" + client.port() + "/echo"),
                            new java.net.http.WebSocket.Listener() {
                                @Override
                                public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket,
                                        CharSequence data, boolean last) {
                                    parts.append(data);
                                    if (last) {
                                        received.add(parts.toString());
                                        parts.setLength(0);
                                    }
                                    socket.request(1);
                                    return null;
                                }

                                @Override
                                public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket socket,
                                        int code, String reason) {
                                    closed.complete(code);
                                    return null;
                                }
                            })
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            ws.sendText("one ", false).get(10, java.util.concurrent.TimeUnit.SECONDS); // a fragmented message
            ws.sendPing(java.nio.ByteBuffer.wrap(new byte[] {1, 2})).get(10, java.util.concurrent.TimeUnit.SECONDS);
            ws.sendText("two", true).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(received.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("one two");
            String big = "x".repeat(200_000);
            ws.sendText(big, true).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(received.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(big);
            ws.sendClose(1000, "done").get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);
        }
    }

    @Test
    void the_accept_key_is_the_rfc_example() {
        try (var client = TestClient.start(app());
                var ws = WebSocketClient.open(client.port(), "/echo", "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")) {
            assertThat(ws.handshake().status()).isEqualTo(101);
            assertThat(ws.handshake().header("sec-websocket-accept")).contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(ws.handshake().header("connection").map(String::toLowerCase)).contains("upgrade");
        }
    }

    @Test
    void a_plain_get_is_answered_426_with_the_version() {
        try (var client = TestClient.start(app())) {
            TestResponse response = client.get("/echo");
            assertThat(response.status()).isEqualTo(426);
            assertThat(response.header("sec-websocket-version")).contains("13");
            assertThat(response.header("upgrade")).contains("websocket");
            assertThat(response.header("content-type")).contains("application/problem+json");
        }
    }

    @Test
    void a_plain_get_over_http2_is_answered_426() {
        try (var client = TestClient.startHttp2(app())) {
            assertThat(client.get("/echo").status()).isEqualTo(426);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", "12", "14", "13, 8", "", "thirteen"})
    void a_version_other_than_13_is_answered_426(String version) {
        try (var client = TestClient.start(app());
                var ws = WebSocketClient.open(client.port(), "/echo", "sec-websocket-version", version)) {
            assertThat(ws.handshake().status()).isEqualTo(426);
            assertThat(ws.handshake().header("sec-websocket-version")).contains("13");
        }
    }

    @Test
    void a_missing_version_is_answered_426_never_an_old_draft() {
        try (var client = TestClient.start(app());
                var ws = WebSocketClient.open(client.port(), "/echo", "sec-websocket-version", null)) {
            assertThat(ws.handshake().status()).isEqualTo(426);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZXg=",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "dGhlIHNhbXBsZSBub25j!Q==", "####################=="})
    void a_key_that_is_not_16_bytes_of_base64_is_answered_400(String key) {
        try (var client = TestClient.start(app());
                var ws = WebSocketClient.open(client.port(), "/echo", "sec-websocket-key", key)) {
            assertThat(ws.handshake().status()).isEqualTo(400);
            assertThat(ws.handshake().body()).contains("sec-websocket-key");
        }
    }

    @Test
    void a_missing_key_is_answered_400() {
        try (var client = TestClient.start(app());
                var ws = WebSocketClient.open(client.port(), "/echo", "sec-websocket-key", null)) {
            assertThat(ws.handshake().status()).isEqualTo(400);
        }
    }

    @Test
    void a_missing_connection_upgrade_is_answered_426() {
        try (var client = TestClient.start(app());
                var ws = WebSocketClient.open(client.port(), "/echo", "connection", "keep-alive")) {
            assertThat(ws.handshake().status()).isEqualTo(426);
        }
    }

    @Test
    void connection_and_upgrade_are_token_lists_compared_without_case() {
        try (var client = TestClient.start(app());
                var ws = WebSocketClient.open(client.port(), "/echo", "connection", "keep-alive, UPGRADE",
                        "upgrade", "WebSocket")) {
            assertThat(ws.handshake().status()).isEqualTo(101);
        }
    }

    @Test
    void a_cross_site_origin_is_answered_403() {
        try (var client = TestClient.start(app())) {
            for (String origin : new String[] {"http://evil.example", "null", "http://127.0.0.1:1", "file://",
                    "http://127.0.0.1." , "https://127.0.0.1:" + (client.port() + 1)}) {
                try (var ws = WebSocketClient.open(client.port(), "/echo", "origin", origin)) {
                    assertThat(ws.handshake().status()).as(origin).isEqualTo(403);
                    assertThat(ws.handshake().header("content-type")).contains("application/problem+json");
                }
            }
        }
    }

    @Test
    void the_same_origin_and_no_origin_are_accepted() {
        try (var client = TestClient.start(app())) {
            for (String origin : new String[] {"http://127.0.0.1:" + client.port(), "HTTP://127.0.0.1:" + client.port()}) {
                try (var ws = WebSocketClient.open(client.port(), "/echo", "origin", origin)) {
                    assertThat(ws.handshake().status()).as(origin).isEqualTo(101);
                }
            }
            try (var ws = client.webSocket("/echo")) {
                assertThat(ws.handshake().status()).isEqualTo(101);
            }
        }
    }

    @Test
    void an_allowed_origin_is_accepted_and_others_refused() {
        try (var client = TestClient.start(app())) {
            try (var ws = client.webSocket("/partners", "origin", "https://partner.example")) {
                assertThat(ws.receiveText()).isEqualTo("hi");
            }
            try (var ws = WebSocketClient.open(client.port(), "/partners", "origin", "https://partner.example.evil")) {
                assertThat(ws.handshake().status()).isEqualTo(403);
            }
        }
    }

    @Test
    void allow_any_origin_turns_the_check_off() {
        try (var client = TestClient.start(app());
                var ws = client.webSocket("/public", "origin", "http://evil.example")) {
            assertThat(ws.receiveText()).isEqualTo("open");
        }
    }

    /** 101 belongs to an accepted handshake; any other interim status a handler returns is a server bug. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(Transport.class)
    void an_interim_status_from_a_handler_is_answered_500(Transport transport) {
        try (Client client = transport.start(app())) {
            assertThat(client.get("/interim").status()).isEqualTo(500);
            assertThat(client.get("/echo").status()).isEqualTo(426); // and the server goes on
        }
    }

    @Test
    void the_subprotocol_is_the_servers_first_preference_that_the_client_offered() {
        try (var client = TestClient.start(app())) {
            try (var ws = client.webSocket("/chat", "sec-websocket-protocol", "v1.chat, v2.chat")) {
                assertThat(ws.handshake().header("sec-websocket-protocol")).contains("v2.chat");
                assertThat(ws.receiveText()).isEqualTo("protocol=v2.chat");
            }
            try (var ws = client.webSocket("/chat", "sec-websocket-protocol", "other, v1.chat")) {
                assertThat(ws.handshake().header("sec-websocket-protocol")).contains("v1.chat");
            }
            try (var ws = client.webSocket("/chat", "sec-websocket-protocol", "other")) {
                assertThat(ws.handshake().header("sec-websocket-protocol")).isEmpty(); // never one not offered
                assertThat(ws.receiveText()).isEqualTo("protocol=none");
            }
        }
    }

    @Test
    void a_required_subprotocol_not_offered_is_answered_400() {
        try (var client = TestClient.start(app());
                var ws = WebSocketClient.open(client.port(), "/strict", "sec-websocket-protocol", "v2")) {
            assertThat(ws.handshake().status()).isEqualTo(400);
        }
    }

    @Test
    void extractors_before_the_upgrade_refuse_as_http() {
        try (var client = TestClient.start(app())) {
            try (var ws = WebSocketClient.open(client.port(), "/private")) {
                assertThat(ws.handshake().status()).isEqualTo(401);
            }
            try (var ws = client.webSocket("/private", "authorization", "Bearer x")) {
                assertThat(ws.receiveText()).isEqualTo("welcome");
            }
        }
    }

    @Test
    void the_server_keeps_serving_http_after_refusals() {
        try (var client = TestClient.start(app())) {
            for (int i = 0; i < 20; i++) {
                try (var ws = WebSocketClient.open(client.port(), "/echo", "sec-websocket-key", "bad")) {
                    assertThat(ws.handshake().status()).isEqualTo(400);
                }
            }
            try (var ws = client.webSocket("/echo")) {
                ws.send("still here");
                assertThat(ws.receiveText()).isEqualTo("still here");
            }
            assertThat(client.get("/echo").status()).isEqualTo(426);
        }
    }

    @Test
    void options_are_validated_all_at_once() {
        var problem = org.assertj.core.api.Assertions.catchThrowable(() -> WebSocketOptions.builder()
                .maxMessageBytes(0).maxFragments(-1).heartbeat(Duration.ofSeconds(-1)).allowedOrigins("not an origin")
                .protocols("bad token").requireProtocol(true).build());
        assertThat(problem).hasMessageContaining("maxMessageBytes").hasMessageContaining("maxFragments")
                .hasMessageContaining("heartbeat").hasMessageContaining("allowedOrigins")
                .hasMessageContaining("protocols");
        assertThat(Optional.of(WebSocketOptions.defaults().maxFrameBytes())).contains(1024 * 1024);
    }
    private static final String[] HANDSHAKE = {"Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"};

    /** RFC 6455 §4.1: the client waits for the answer; bytes read as HTTP after the handshake cannot be frames. */
    @Test
    void a_request_pipelined_behind_a_handshake_gets_400_and_no_switch() throws Exception {
        try (var client = TestClient.start(app()); var raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.get("/echo", HANDSHAKE) + RawHttp.get("/echo"));
            RawHttp.Response answer = raw.read();
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.header("content-type")).contains("application/problem+json");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void a_handshake_with_a_body_gets_400_and_no_switch() throws Exception {
        try (var client = TestClient.start(app()); var raw = RawHttp.connect(client.port())) {
            String[] withBody = java.util.Arrays.copyOf(HANDSHAKE, HANDSHAKE.length + 1);
            withBody[HANDSHAKE.length] = "Content-Length: 5";
            raw.send(RawHttp.get("/echo", withBody) + "hello");
            assertThat(raw.read().status()).isEqualTo(400);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void a_frame_sent_before_the_answer_gets_400_or_is_read_as_a_frame() throws Exception {
        // The bytes may still be unparsed when the connection switches (then they are the first
        // frame); if the HTTP decoder has read them as a request they are refused. Never a hang.
        try (var client = TestClient.start(app()); var raw = RawHttp.connect(client.port())) {
            byte[] head = RawHttp.get("/echo", HANDSHAKE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] frame = WebSocketClient.encode(true, 0, WebSocketClient.TEXT, "early".getBytes(), true);
            byte[] both = java.util.Arrays.copyOf(head, head.length + frame.length);
            System.arraycopy(frame, 0, both, head.length, frame.length);
            raw.send(both);
            RawHttp.Response answer = raw.readHead();
            assertThat(answer.status()).isIn(101, 400);
            if (answer.status() == 101) {
                java.io.ByteArrayOutputStream echo = new java.io.ByteArrayOutputStream();
                byte[] buffer = new byte[64];
                while (echo.size() < 7) { // the echo of "early": a 2-byte header and 5 bytes
                    int r = raw.readSome(buffer);
                    assertThat(r).isPositive();
                    echo.write(buffer, 0, r);
                }
                assertThat(new String(echo.toByteArray(), 2, 5, java.nio.charset.StandardCharsets.US_ASCII))
                        .isEqualTo("early");
            } else {
                assertThat(new String(raw.readUntilClosed(), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("after its WebSocket handshake"); // the problem body, then the close
            }
        }
    }

    @Test
    void a_handshake_over_http_1_0_gets_400() throws Exception {
        try (var client = TestClient.start(app()); var raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.request("GET", "/echo", "HTTP/1.0", HANDSHAKE));
            assertThat(raw.read().status()).isEqualTo(400);
        }
    }

    @Test
    void a_head_request_with_handshake_headers_gets_400() throws Exception {
        try (var client = TestClient.start(app()); var raw = RawHttp.connect(client.port())) {
            raw.send(RawHttp.request("HEAD", "/echo", "HTTP/1.1", HANDSHAKE));
            assertThat(raw.read(true).status()).isEqualTo(400);
        }
    }
}
