package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.weft.files.StaticFiles;
import dev.weft.middleware.Middleware;
import dev.weft.response.ResponseBody;
import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import dev.weft.server.Tls;
import dev.weft.server.TlsProvider;
import dev.weft.server.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How file bodies reach the wire: as a file region (zero-copy) on cleartext HTTP/1.1 with every
 * socket engine, copied in chunks over TLS, HTTP/2 and through a middleware that wraps the body;
 * and the file is closed when a client leaves in the middle of a download.
 */
class StaticFilesTransportTest {
    private static final String STREAM_LOGGER = "dev.weft.internal.netty.ResponseStream";
    private static final Path TLS_DIR = Path.of("src", "test", "resources", "tls");

    @TempDir
    Path temp;
    private byte[] big;
    private Router app;

    @BeforeEach
    void files() throws IOException {
        big = new byte[5 * 1024 * 1024 + 17];
        new Random(11).nextBytes(big);
        Path root = Files.createDirectories(temp.resolve("www"));
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("small.txt"), "small");
        Middleware wrapsBody = (request, next) -> {
            var response = next.run(request);
            if (response.body() instanceof ResponseBody.Streaming s) {
                return response.withBody(new ResponseBody.Streaming(s.writer()::writeTo, s.length()));
            }
            return response;
        };
        app = Router.builder()
                .get("/files/{*path}", StaticFiles.dir(root).build())
                .get("/wrapped/{*path}", StaticFiles.dir(root).build().layer(wrapsBody))
                .build();
    }

    private static Server.Builder server(Transport transport) {
        return Server.builder().host("127.0.0.1").port(0).ioThreads(1).shutdownOnSignal(false).transport(transport);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void cleartext_http_1_1_sends_a_file_region_and_the_bytes_arrive_whole(Transport transport) throws Exception {
        RunningServer server;
        try {
            server = server(transport).build().serve(app);
        } catch (RuntimeException unavailable) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, transport + " is not available here: " + unavailable);
            return;
        }
        try (server; LogCapture log = new LogCapture(STREAM_LOGGER, Level.DEBUG);
                RawHttp connection = RawHttp.connect(server.port())) {
            // Pipelined: a whole file, a range of it, and a small response behind them on one connection.
            connection.send(RawHttp.get("/files/big.bin") + RawHttp.get("/files/big.bin", "Range: bytes=1000-2000999")
                    + RawHttp.get("/files/small.txt"));
            List<RawHttp.Response> responses = connection.read(3);
            assertThat(responses.get(0).status()).isEqualTo(200);
            assertThat(Arrays.equals(responses.get(0).body(), big)).isTrue();
            assertThat(responses.get(1).status()).isEqualTo(206);
            assertThat(Arrays.equals(responses.get(1).body(), Arrays.copyOfRange(big, 1000, 2001000))).isTrue();
            assertThat(new String(responses.get(2).body(), StandardCharsets.UTF_8)).isEqualTo("small");
            assertThat(log.messages()).filteredOn(m -> m.contains("as a file region")).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void a_middleware_that_wraps_the_body_gets_it_copied_not_as_a_region() throws Exception {
        try (RunningServer server = server(Transport.AUTO).build().serve(app);
                LogCapture log = new LogCapture(STREAM_LOGGER, Level.DEBUG);
                RawHttp connection = RawHttp.connect(server.port())) {
            RawHttp.Response response = connection.send(RawHttp.get("/wrapped/big.bin")).read();
            assertThat(Arrays.equals(response.body(), big)).isTrue();
            assertThat(log.messages()).noneMatch(m -> m.contains("as a file region"));
        }
    }

    @Test
    void http_2_copies_the_file_in_frames() throws Exception {
        try (TestClient client = TestClient.startHttp2(app);
                LogCapture log = new LogCapture(STREAM_LOGGER, Level.DEBUG)) {
            assertThat(Arrays.equals(client.get("/files/big.bin").bodyBytes(), big)).isTrue();
            assertThat(log.messages()).noneMatch(m -> m.contains("as a file region"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void tls_copies_the_file_through_the_encryption(HttpClient.Version version) throws Exception {
        Tls tls = Tls.pem(TLS_DIR.resolve("server-chain.pem"), TLS_DIR.resolve("server-key.pem"))
                .withProvider(TlsProvider.JDK);
        try (RunningServer server = server(Transport.AUTO).tls(tls).build().serve(app);
                LogCapture log = new LogCapture(STREAM_LOGGER, Level.DEBUG);
                HttpClient http = HttpClient.newBuilder().sslContext(TlsTest.trustingTestCa()).version(version)
                        .connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/files/big.bin")).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(version);
            assertThat(Arrays.equals(response.body(), big)).isTrue();
            HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/files/big.bin")).header("range", "bytes=-100")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(big, big.length - 100, big.length));
            assertThat(log.messages()).noneMatch(m -> m.contains("as a file region"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"AUTO", "NIO"})
    void a_client_leaving_mid_download_leaves_no_file_open(Transport transport) throws Exception {
        Path file = temp.resolve("www/big.bin").toRealPath();
        try (RunningServer server = server(transport).build().serve(app)) {
            for (String target : List.of("/files/big.bin", "/wrapped/big.bin")) {
                try (RawHttp connection = RawHttp.connect(server.port(), 4096)) {
                    connection.send(RawHttp.get(target));
                    connection.readHead();
                    connection.readSome(new byte[1024]);
                } // closed after a few bytes of 5 MiB
            }
            try (RawHttp connection = RawHttp.connect(server.port())) {
                connection.send(RawHttp.request("HEAD", "/files/big.bin", "HTTP/1.1")).read(true);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (openDescriptors(file) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(openDescriptors(file)).as("descriptors open on %s", file).isZero();
        }
    }

    /** How many of this process's file descriptors are open on {@code file} (Linux; 0 elsewhere). */
    private static long openDescriptors(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        try (Stream<Path> all = Files.list(fds)) {
            return all.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException | UnsupportedOperationException gone) {
                    return false;
                }
            }).count();
        }
    }
}
