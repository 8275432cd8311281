package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.extract.Extract;
import dev.weft.routing.Router;
import dev.weft.server.InvalidConfigException;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import dev.weft.server.Tls;
import dev.weft.server.TlsProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * HTTPS on real sockets, over both TLS providers: the JDK's engine and BoringSSL (through the
 * {@code netty-tcnative-boringssl-static} test dependency; those cases are skipped where it does
 * not load). Also the hostile clients of a TLS port, and the checks of {@code Server.Builder.build()}
 * on the certificate and key files.
 *
 * <p>The files are in {@code src/test/resources/tls} (see its README). Waits are bounded by
 * {@link RawHttp#TIMEOUT_MS} read timeouts; no test asserts that anything happened quickly.
 */
class TlsTest {
    private static final Path DIR = Path.of("src", "test", "resources", "tls");
    private static final Path CA = DIR.resolve("ca.pem");
    private static final Path CHAIN = DIR.resolve("server-chain.pem");
    private static final Path KEY = DIR.resolve("server-key.pem");
    private static final Router APP = Router.builder()
            .get("/hello", () -> "hello over tls")
            .get("/two", () -> "two")
            .get("/scheme", Extract.request(), r -> r.scheme() + " " + r.protocol())
            .webSocket("/ws", WebSocketHandshakeTest::echo)
            .build();

    // ---------------------------------------------------------------- serving

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void an_https_request_is_answered_over_http_1_1(TlsProvider provider) throws Exception {
        try (RunningServer server = serve(tls(provider), b -> {});
                HttpClient http = HttpClient.newBuilder().sslContext(trustingTestCa())
                        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(get(server, "/hello"), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello over tls");
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(http.send(get(server, "/scheme"), HttpResponse.BodyHandlers.ofString()).body())
                    .isEqualTo("https HTTP/1.1");
            assertThat(response.sslSession()).hasValueSatisfying(
                    session -> assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void a_client_asking_for_http_2_gets_it_by_alpn(TlsProvider provider) throws Exception {
        try (RunningServer server = serve(tls(provider), b -> {});
                HttpClient http = HttpClient.newBuilder().sslContext(trustingTestCa())
                        .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(get(server, "/hello"), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = http.send(get(server, "/two"), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello over tls");
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(second.body()).isEqualTo("two");
            assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(http.send(get(server, "/scheme"), HttpResponse.BodyHandlers.ofString()).body())
                    .isEqualTo("https HTTP/2.0");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void with_http_2_off_a_client_asking_for_it_gets_http_1_1(TlsProvider provider) throws Exception {
        try (RunningServer server = serve(tls(provider), b -> b.http2(false));
                HttpClient http = HttpClient.newBuilder().sslContext(trustingTestCa())
                        .version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(get(server, "/hello"), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void two_requests_are_answered_on_one_tls_connection(TlsProvider provider) throws Exception {
        try (RunningServer server = serve(tls(provider), b -> {});
                RawHttp connection = RawHttp.over(handshake(server.port(), List.of(), "TLSv1.3", "TLSv1.2"))) {
            RawHttp.Response first = connection.send(RawHttp.get("/hello")).read();
            RawHttp.Response second = connection.send(RawHttp.get("/two")).read();

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.text()).isEqualTo("hello over tls");
            assertThat(first.connectionHas("close")).isFalse();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.text()).isEqualTo("two");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void alpn_selects_h2_when_the_client_offers_h2_and_http_1_1(TlsProvider provider) throws Exception {
        try (RunningServer server = serve(tls(provider), b -> {});
                SSLSocket socket = handshake(server.port(), List.of("h2", "http/1.1"), "TLSv1.3", "TLSv1.2")) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void alpn_selects_http_1_1_when_http_2_is_off(TlsProvider provider) throws Exception {
        try (RunningServer server = serve(tls(provider), b -> b.http2(false));
                SSLSocket socket = handshake(server.port(), List.of("h2", "http/1.1"), "TLSv1.3", "TLSv1.2")) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void a_client_offering_only_h2_when_http_2_is_off_completes_the_handshake_without_alpn(TlsProvider provider)
            throws Exception {
        try (RunningServer server = serve(tls(provider), b -> b.http2(false));
                SSLSocket socket = handshake(server.port(), List.of("h2"), "TLSv1.3", "TLSv1.2")) {
            assertThat(socket.getApplicationProtocol()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void tls_1_2_and_tls_1_3_clients_are_both_served(TlsProvider provider) throws Exception {
        try (RunningServer server = serve(tls(provider), b -> {})) {
            for (String version : List.of("TLSv1.2", "TLSv1.3")) {
                try (SSLSocket socket = handshake(server.port(), List.of(), version);
                        RawHttp connection = RawHttp.over(socket)) {
                    RawHttp.Response response = connection.send(RawHttp.get("/hello")).read();

                    assertThat(socket.getSession().getProtocol()).isEqualTo(version);
                    assertThat(response.status()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void a_traditional_rsa_key_and_an_encrypted_pkcs8_key_are_accepted() throws Exception {
        Tls traditional = Tls.pem(CHAIN, DIR.resolve("server-key-rsa.pem")).withProvider(TlsProvider.JDK);
        Tls encrypted = Tls.pem(CHAIN, DIR.resolve("server-key-encrypted.pem")).withKeyPassword("weft-test")
                .withProvider(TlsProvider.JDK);
        for (Tls tls : List.of(traditional, encrypted)) {
            try (RunningServer server = serve(tls, b -> {});
                    RawHttp connection = RawHttp.over(handshake(server.port(), List.of(), "TLSv1.3"))) {
                assertThat(connection.send(RawHttp.get("/hello")).read().status()).as("%s", tls).isEqualTo(200);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void an_ec_key_and_certificate_are_served(TlsProvider provider) throws Exception {
        Path certificate = DIR.resolve("ec-cert.pem");
        assumeAvailable(provider);
        Tls ec = Tls.pem(certificate, DIR.resolve("ec-key.pem")).withProvider(provider);
        try (RunningServer server = serve(ec, b -> {});
                RawHttp connection = RawHttp.over(handshake(server.port(), certificate, List.of(), "TLSv1.2"))) {
            assertThat(connection.send(RawHttp.get("/hello")).read().status()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- hostile clients

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void plain_http_on_the_tls_port_is_closed_without_an_answer_and_tls_is_served_afterwards(TlsProvider provider)
            throws Exception {
        try (LogCapture log = LogCapture.start();
                RunningServer server = serve(tls(provider), b -> {})) {
            try (RawHttp plain = RawHttp.connect(server.port())) {
                plain.send(RawHttp.get("/hello"));

                assertThat(new String(plain.readUntilClosed(), StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/");
            }
            try (RawHttp connection = RawHttp.over(handshake(server.port(), List.of(), "TLSv1.3", "TLSv1.2"))) {
                assertThat(connection.send(RawHttp.get("/hello")).read().text()).isEqualTo("hello over tls");
            }
            assertThat(log.warnings()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void a_connection_that_never_starts_the_handshake_is_closed_after_the_head_timeout(TlsProvider provider)
            throws Exception {
        try (LogCapture log = LogCapture.start();
                RunningServer server = serve(tls(provider), b -> b.requestHeadTimeout(Duration.ofMillis(300)))) {
            try (RawHttp silent = RawHttp.connect(server.port())) {
                assertThat(silent.readUntilClosed()).isEmpty();
            }
            try (RawHttp connection = RawHttp.over(handshake(server.port(), List.of(), "TLSv1.3"))) {
                assertThat(connection.send(RawHttp.get("/hello")).read().status()).isEqualTo(200);
            }
            assertThat(log.warnings()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void a_handshake_that_stalls_halfway_is_closed_after_the_head_timeout(TlsProvider provider) throws Exception {
        try (LogCapture log = LogCapture.start();
                RunningServer server = serve(tls(provider), b -> b.requestHeadTimeout(Duration.ofMillis(300)))) {
            try (RawHttp stalled = RawHttp.connect(server.port())) {
                byte[] hello = clientHello(0x0303);
                stalled.send(Arrays.copyOf(hello, hello.length / 2)); // bytes arrive, no record completes

                assertThat(stalled.readUntilClosed()).isEmpty();
            }
            assertThat(log.warnings()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void a_tls_1_1_client_is_refused(TlsProvider provider) throws Exception {
        try (LogCapture log = LogCapture.start();
                RunningServer server = serve(tls(provider), b -> {})) {
            // Written by hand: the JDK's own client no longer sends a TLS 1.1 hello at all.
            try (RawHttp old = RawHttp.connect(server.port())) {
                byte[] answer = old.send(clientHello(0x0302)).readUntilClosed();

                // Nothing, or an alert record (content type 21); never a ServerHello (22).
                assertThat(answer.length == 0 || answer[0] == 21).as("first byte of %s bytes: %s", answer.length,
                        answer.length == 0 ? "-" : answer[0]).isTrue();
            }
            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void over_the_connection_limit_a_tls_connection_is_closed_without_a_plain_text_answer() throws Exception {
        try (RunningServer server = serve(tls(TlsProvider.JDK), b -> b.maxConnections(1));
                RawHttp first = RawHttp.over(handshake(server.port(), List.of(), "TLSv1.3"))) {
            assertThat(first.send(RawHttp.get("/hello")).read().status()).isEqualTo(200);
            try (RawHttp second = RawHttp.connect(server.port())) {
                assertThat(second.readUntilClosed()).isEmpty();
            }
        }
    }

    // ---------------------------------------------------------------- invalid configuration

    @Test
    void a_missing_certificate_file_is_reported_at_build_naming_it() {
        Path missing = DIR.resolve("no-such-chain.pem");

        assertThat(problems(Tls.pem(missing, KEY))).singleElement().asString()
                .contains(missing.toString(), "does not exist");
    }

    @Test
    void a_missing_key_file_is_reported_at_build_naming_it() {
        Path missing = DIR.resolve("no-such-key.pem");

        assertThat(problems(Tls.pem(CHAIN, missing))).singleElement().asString()
                .contains(missing.toString(), "does not exist");
    }

    @Test
    void a_directory_is_reported_at_build_naming_it() {
        assertThat(problems(Tls.pem(DIR, KEY))).singleElement().asString().contains(DIR.toString(), "directory");
    }

    @Test
    void files_that_are_not_pem_are_reported_together_each_naming_its_path() {
        Path garbage = DIR.resolve("garbage.pem");

        List<String> problems = problems(Tls.pem(garbage, garbage));

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("certificate chain " + garbage, "not a PEM certificate");
        assertThat(problems.get(1)).contains("private key " + garbage, "not a PEM private key");
    }

    @Test
    void swapped_paths_are_reported_with_a_hint() {
        assertThat(problems(Tls.pem(KEY, CHAIN))).first().asString().contains(KEY.toString(), "swapped");
    }

    @Test
    void a_key_that_does_not_belong_to_the_certificate_is_reported_naming_both_files() throws IOException {
        Path other = DIR.resolve("other-key.pem");

        String problem = problems(Tls.pem(CHAIN, other)).getFirst();

        assertThat(problem).contains(other.toString(), CHAIN.toString(), "does not belong");
        assertNoKeyMaterial(problem, other);
    }

    @Test
    void an_encrypted_key_without_its_password_or_with_a_wrong_one_is_reported() throws IOException {
        Path encrypted = DIR.resolve("server-key-encrypted.pem");

        assertThat(problems(Tls.pem(CHAIN, encrypted))).singleElement().asString()
                .contains(encrypted.toString(), "encrypted", "withKeyPassword");
        String wrong = problems(Tls.pem(CHAIN, encrypted).withKeyPassword("not-the-password")).getFirst();
        assertThat(wrong).contains(encrypted.toString(), "cannot be decrypted").doesNotContain("not-the-password");
        assertNoKeyMaterial(wrong, KEY);
    }

    @Test
    void an_ec_key_in_sec1_form_is_refused_with_the_command_that_converts_it() {
        Path sec1 = DIR.resolve("ec-key-sec1.pem");

        assertThat(problems(Tls.pem(CHAIN, sec1))).singleElement().asString()
                .contains(sec1.toString(), "EC PRIVATE KEY", "openssl pkcs8 -topk8");
    }

    @Test
    void a_key_file_removed_after_build_is_reported_by_serve_naming_it(@TempDir Path dir) throws IOException {
        Path chain = Files.copy(CHAIN, dir.resolve("chain.pem"));
        Path key = Files.copy(KEY, dir.resolve("key.pem"));
        Server server = Server.builder().host("127.0.0.1").port(0).shutdownOnSignal(false)
                .tls(Tls.pem(chain, key).withProvider(TlsProvider.JDK)).build();
        Files.delete(key);

        assertThatThrownBy(() -> server.serve(APP).close())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(key.toString());
    }

    @Test
    void tls_problems_are_reported_together_with_the_other_options() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> Server.builder().port(-1).tls(Tls.pem(DIR.resolve("missing.pem"), KEY)).build());

        assertThat(e.problems()).hasSize(2);
        assertThat(e.getMessage()).contains("port", "missing.pem");
    }

    @Test
    void openssl_requested_where_it_does_not_load_is_reported_at_build() {
        Assumptions.assumeFalse(openSslAvailable(), "netty-tcnative loads here");

        assertThat(problems(Tls.pem(CHAIN, KEY).withProvider(TlsProvider.OPENSSL))).singleElement().asString()
                .contains("OPENSSL", "not available");
    }

    @Test
    void a_null_tls_is_reported_at_build() {
        assertThatThrownBy(() -> Server.builder().tls(null).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("tls");
    }

    @Test
    void the_key_password_never_appears_in_to_string() {
        assertThat(Tls.pem(CHAIN, KEY).withKeyPassword("s3cret").toString())
                .doesNotContain("s3cret")
                .contains("keyPassword=***", CHAIN.toString());
    }

    /** wss://: the JDK's own WebSocket client, over TLS, on a server that also speaks HTTP/2 (ALPN picks HTTP/1.1). */
    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void a_websocket_session_runs_over_tls(TlsProvider provider) throws Exception {
        try (RunningServer server = serve(tls(provider), b -> {});
                HttpClient http = HttpClient.newBuilder().sslContext(trustingTestCa()).build()) {
            java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
            java.net.http.WebSocket ws = http.newWebSocketBuilder()
                    .buildAsync(URI.create("wss://127.0.0.1:" + server.port() + "/ws"), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket,
                                CharSequence data, boolean last) {
                            received.add(data.toString());
                            socket.request(1);
                            return null;
                        }
                    })
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            ws.sendText("over tls", true).get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(received.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("over tls");
            ws.sendClose(1000, "done").get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Tls tls(TlsProvider provider) {
        assumeAvailable(provider);
        return Tls.pem(CHAIN, KEY).withProvider(provider);
    }

    private static void assumeAvailable(TlsProvider provider) {
        if (provider == TlsProvider.OPENSSL) {
            Assumptions.assumeTrue(openSslAvailable(), "netty-tcnative (BoringSSL) does not load here");
        }
    }

    private static RunningServer serve(Tls tls, Consumer<Server.Builder> options) {
        Server.Builder builder = Server.builder().host("127.0.0.1").port(0).ioThreads(1).shutdownOnSignal(false)
                .tls(tls);
        options.accept(builder);
        return builder.build().serve(APP);
    }

    private static List<String> problems(Tls tls) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> Server.builder().tls(tls).build());
        assertThat(e).as("InvalidConfigException for %s", tls).isNotNull();
        return e.problems();
    }

    private static void assertNoKeyMaterial(String message, Path keyFile) throws IOException {
        for (String line : Files.readAllLines(keyFile)) {
            if (!line.startsWith("-----") && line.length() > 16) {
                assertThat(message).doesNotContain(line.substring(0, 16));
            }
        }
    }

    private static HttpRequest get(RunningServer server, String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30)).build();
    }

    /** A TLS client that trusts the test CA only and checks the host name against the certificate. */
    static SSLContext trustingTestCa() throws Exception {
        return trusting(CA);
    }

    /** A TLS client that trusts the certificate in {@code pem} only. */
    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trusted.setCertificateEntry("weft-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** A completed handshake to {@code 127.0.0.1:port} offering {@code alpn} (none if empty) and {@code versions}. */
    private static SSLSocket handshake(int port, List<String> alpn, String... versions) throws Exception {
        return handshake(port, CA, alpn, versions);
    }

    /** The same, trusting only the certificate in {@code trusted}. */
    private static SSLSocket handshake(int port, Path trusted, List<String> alpn, String... versions)
            throws Exception {
        Socket tcp = new Socket();
        try {
            tcp.connect(new InetSocketAddress("127.0.0.1", port), RawHttp.TIMEOUT_MS);
            tcp.setSoTimeout(RawHttp.TIMEOUT_MS);
            SSLSocket socket = (SSLSocket) trusting(trusted).getSocketFactory()
                    .createSocket(tcp, "127.0.0.1", port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(versions);
            if (!alpn.isEmpty()) {
                parameters.setApplicationProtocols(alpn.toArray(String[]::new));
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (Exception e) {
            tcp.close();
            throw e;
        }
    }

    /**
     * A minimal ClientHello record of {@code version} (0x0302 is TLS 1.1, 0x0303 TLS 1.2) without
     * extensions, offering two RSA-authenticated suites.
     */
    private static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        body.writeBytes(new byte[32]); // random
        body.write(0); // no session id
        body.writeBytes(new byte[] {0x00, 0x04, (byte) 0xc0, 0x13, 0x00, 0x2f}); // ECDHE-RSA-AES128-SHA, AES128-SHA
        body.writeBytes(new byte[] {0x01, 0x00}); // compression: null
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 0x03, 0x01}); // handshake record, record version TLS 1.0 as usual
        record.write((hello.length + 4) >> 8);
        record.write(hello.length + 4);
        record.writeBytes(new byte[] {0x01, 0x00, (byte) (hello.length >> 8), (byte) hello.length}); // ClientHello
        record.writeBytes(hello);
        return record.toByteArray();
    }

    /** Whether BoringSSL loads. Asked reflectively: the test module does not read Netty's modules. */
    static boolean openSslAvailable() {
        try {
            return (Boolean) Class.forName("io.netty.handler.ssl.OpenSsl").getMethod("isAvailable").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /** Collects what Weft and Netty log at WARN or above while a test runs. */
    private static final class LogCapture implements AutoCloseable {
        private final ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        static LogCapture start() {
            LogCapture capture = new LogCapture();
            capture.appender.start();
            capture.root.addAppender(capture.appender);
            return capture;
        }

        List<String> warnings() {
            synchronized (appender) { // AppenderBase appends under this lock
                return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                        .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
            }
        }

        @Override
        public void close() {
            root.detachAppender(appender);
        }
    }
}
