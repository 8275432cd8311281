package dev.weft.otel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.weft.extract.PathParam;
import dev.weft.routing.Router;
import dev.weft.test.Client;
import dev.weft.test.InMemoryClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Spans leave the process over OTLP/HTTP (protobuf) through the JDK's HTTP client. */
class OtlpExportTest {

    record Post(String method, String path, String contentType, String token, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1); // protobuf strings are their UTF-8 bytes
        }
    }

    /** A fake collector: a JDK HttpServer on a free port that keeps what it is sent. */
    static final class Collector implements AutoCloseable {
        final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
        final HttpServer server;

        Collector() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                posts.add(new Post(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("content-type"),
                        exchange.getRequestHeaders().getFirst("authorization"), body));
                exchange.getResponseHeaders().add("content-type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse
                exchange.close();
            });
            server.start();
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static Router app(Tracing tracing) {
        return Router.builder()
                .layer(tracing)
                .get("/todos/{id}", PathParam.string("id"), id -> "todo " + id)
                .build();
    }

    @Test
    void spans_reach_a_collector_as_otlp_protobuf_over_http() throws Exception {
        try (Collector collector = new Collector()) {
            Tracing tracing = Tracing.builder()
                    .serviceName("todo-service")
                    .serviceVersion("1.2.3")
                    .otlpEndpoint(collector.base()) // no path: /v1/traces is added
                    .header("authorization", "Bearer collector-token")
                    .scheduleDelay(Duration.ofMillis(50))
                    .build();
            assertThat(tracing.enabled()).isTrue();
            assertThat(tracing.name()).isEqualTo("Tracing");
            try (Client client = InMemoryClient.of(app(tracing))) {
                assertThat(client.get("/todos/42").status()).isEqualTo(200);
            }
            Post post = collector.posts.poll(10, TimeUnit.SECONDS);
            assertThat(post).as("an export within 10 s").isNotNull();
            assertThat(post.method()).isEqualTo("POST");
            assertThat(post.path()).isEqualTo("/v1/traces");
            assertThat(post.contentType()).isEqualTo("application/x-protobuf");
            assertThat(post.token()).isEqualTo("Bearer collector-token");
            assertThat(post.text()).contains("GET /todos/{id}", "todo-service", "1.2.3", "http.route", "/todos/42",
                    Tracing.SCOPE);
            tracing.close();
        }
    }

    @Test
    void close_sends_what_is_still_queued() throws Exception {
        try (Collector collector = new Collector()) {
            Tracing tracing = Tracing.builder()
                    .serviceName("todo-service")
                    .otlpEndpoint(collector.base().resolve("/custom/traces")) // a path is used as given
                    .scheduleDelay(Duration.ofHours(1)) // nothing is sent on the schedule
                    .build();
            try (Client client = InMemoryClient.of(app(tracing))) {
                client.get("/todos/1");
            }
            assertThat(collector.posts).isEmpty();
            tracing.close();
            Post post = collector.posts.poll(10, TimeUnit.SECONDS);
            assertThat(post).isNotNull();
            assertThat(post.path()).isEqualTo("/custom/traces");
            assertThat(post.text()).contains("GET /todos/{id}");
        }
    }

    @Test
    void a_collector_that_is_down_costs_spans_not_requests() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once closed
        }
        Tracing tracing = Tracing.builder()
                .serviceName("todo-service")
                .otlpEndpoint(URI.create("http://127.0.0.1:" + closedPort))
                .scheduleDelay(Duration.ofMillis(10))
                .exportTimeout(Duration.ofSeconds(1))
                .build();
        try (Client client = InMemoryClient.of(app(tracing))) {
            for (int i = 0; i < 20; i++) {
                assertThat(client.get("/todos/" + i).status()).isEqualTo(200);
            }
        } finally {
            tracing.close();
        }
    }

    @Test
    void no_okhttp_or_kotlin_is_on_the_class_path() {
        assertThatThrownBy(() -> Class.forName("okhttp3.OkHttpClient")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("kotlin.Unit")).isInstanceOf(ClassNotFoundException.class);
    }
}
