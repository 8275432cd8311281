package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Extract;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.server.Tls;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PROXY protocol on the listener: raw sockets, since the header precedes HTTP and TLS. */
class ProxyProtocolTest {
    private static final Path TLS_DIR = Path.of("src", "test", "resources", "tls");

    private static final Router APP = Router.builder()
            .get("/who", Extract.request(), request -> Map.of(
                    "remote", request.remoteAddress().getAddress().getHostAddress() + ":" + request.remoteAddress().getPort(),
                    "client", request.client().address().getHostAddress(),
                    "scheme", request.client().scheme()))
            .build();

    private static Socket connect(int port) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A PROXY v2 header: PROXY command, TCP over IPv4, {@code source} port 5555 to 10.0.0.1:443. */
    private static byte[] v2(byte command, byte[] source) {
        ByteBuffer header = ByteBuffer.allocate(16 + 12);
        header.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        header.put((byte) (0x20 | command)).put((byte) 0x11).putShort((short) 12);
        header.put(source).put(new byte[] {10, 0, 0, 1}).putShort((short) 5555).putShort((short) 443);
        return header.array();
    }

    @Test
    void a_v1_header_names_the_client_of_every_request_on_the_connection() throws Exception {
        try (TestClient server = TestClient.start(APP, Server.builder().proxyProtocol(true));
                RawHttp raw = RawHttp.over(connect(server.port()))) {
            raw.send("PROXY TCP4 198.51.100.7 10.0.0.1 5555 443\r\n" + RawHttp.get("/who"));
            assertThat(raw.read().text()).contains("\"remote\":\"198.51.100.7:5555\"", "\"client\":\"198.51.100.7\"");
            raw.send(RawHttp.get("/who"));
            assertThat(raw.read().text()).contains("\"client\":\"198.51.100.7\"");
        }
    }

    @Test
    void a_v2_header_works_too_and_local_keeps_the_real_peer() throws Exception {
        try (TestClient server = TestClient.start(APP, Server.builder().proxyProtocol(true))) {
            try (RawHttp raw = RawHttp.over(connect(server.port()))) {
                raw.send(v2((byte) 0x1, new byte[] {(byte) 203, 0, 113, 9}));
                raw.send(RawHttp.get("/who"));
                assertThat(raw.read().text()).contains("\"client\":\"203.0.113.9\"");
            }
            try (RawHttp raw = RawHttp.over(connect(server.port()))) {
                raw.send(v2((byte) 0x0, new byte[] {(byte) 203, 0, 113, 9})); // LOCAL: the proxy's own check
                raw.send(RawHttp.get("/who"));
                assertThat(raw.read().text()).contains("\"client\":\"127.0.0.1\"");
            }
        }
    }

    @Test
    void http2_streams_see_the_proxied_client() throws Exception {
        try (TestClient server = TestClient.start(APP, Server.builder().proxyProtocol(true))) {
            Socket socket = connect(server.port());
            socket.getOutputStream().write("PROXY TCP6 2001:db8::7 2001:db8::1 5555 80\r\n".getBytes(StandardCharsets.US_ASCII));
            try (RawHttp2 h2 = RawHttp2.over(socket)) {
                h2.headers(1, RawHttp2.request("GET", "/who"), true);
                assertThat(h2.response(1).toTestResponse().body()).contains("\"client\":\"2001:db8:0:0:0:0:0:7\"");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /who HTTP/1.1\r\nHost: x\r\n\r\n", "PROXY TCP4 1.2.3.4\r\n\r\n",
            "PROXY TCP4 999.1.1.1 10.0.0.1 1 2\r\n", "PROXY UDP4 1.2.3.4 10.0.0.1 1 2\r\n",
            "PROXY TCP4 1.2.3.4 10.0.0.1 1 2 extra words that go on and on past the hundred and seven bytes a v1 line may have\r\n"})
    void a_connection_without_a_valid_header_is_closed_without_an_answer(String opening) throws Exception {
        try (TestClient server = TestClient.start(APP, Server.builder().proxyProtocol(true));
                RawHttp raw = RawHttp.over(connect(server.port()))) {
            raw.send(opening);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void a_header_that_never_ends_is_answered_408_and_closed_at_the_head_deadline() throws Exception {
        Server.Builder options = Server.builder().proxyProtocol(true).requestHeadTimeout(java.time.Duration.ofSeconds(1));
        try (TestClient server = TestClient.start(APP, options);
                RawHttp raw = RawHttp.over(connect(server.port()))) {
            // A v2 signature announcing 65535 bytes of addresses, then nothing.
            raw.send("\r\n\r\n\u0000\r\nQUIT\n\u0021\u0011\u00ff\u00ff");
            assertThat(raw.read().status()).isEqualTo(408);
            assertThat(raw.closedByServer()).isTrue();
        }
        try (TestClient server = TestClient.start(APP, options);
                RawHttp raw = RawHttp.over(connect(server.port()))) {
            raw.send("PROXY TCP4 "); // a v1 line that stops
            assertThat(raw.read().status()).isEqualTo(408);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void with_trusted_proxies_another_peer_is_closed_before_it_says_anything() throws Exception {
        try (TestClient server = TestClient.start(APP, Server.builder().proxyProtocol(true).trustedProxies("10.0.0.0/8"));
                RawHttp raw = RawHttp.over(connect(server.port()))) {
            assertThat(raw.closedByServer()).isTrue();
        }
        try (TestClient server = TestClient.start(APP, Server.builder().proxyProtocol(true).trustedProxies("127.0.0.1"));
                RawHttp raw = RawHttp.over(connect(server.port()))) {
            raw.send("PROXY TCP4 198.51.100.7 10.0.0.1 5555 443\r\n" + RawHttp.get("/who", "X-Forwarded-For: 6.6.6.6"));
            // The proxied client is not a trusted proxy, so its forwarding headers are ignored.
            assertThat(raw.read().text()).contains("\"client\":\"198.51.100.7\"");
        }
    }

    @Test
    void the_header_comes_before_the_tls_handshake() throws Exception {
        Tls tls = Tls.pem(TLS_DIR.resolve("server-chain.pem"), TLS_DIR.resolve("server-key.pem"));
        try (TestClient server = TestClient.start(APP, Server.builder().proxyProtocol(true).tls(tls))) {
            Socket plain = connect(server.port());
            plain.getOutputStream().write("PROXY TCP4 198.51.100.7 10.0.0.1 5555 443\r\n".getBytes(StandardCharsets.US_ASCII));
            SSLSocket socket = (SSLSocket) trustingTestCa().getSocketFactory().createSocket(plain, "localhost", server.port(), true);
            socket.startHandshake();
            try (RawHttp raw = RawHttp.over(socket)) {
                raw.send(RawHttp.get("/who"));
                assertThat(raw.read().text()).contains("\"client\":\"198.51.100.7\"", "\"scheme\":\"https\"");
            }
        }
    }

    private static SSLContext trustingTestCa() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(TLS_DIR.resolve("ca.pem"))) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
