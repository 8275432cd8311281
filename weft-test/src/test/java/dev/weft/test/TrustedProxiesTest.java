package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.extract.Extract;
import dev.weft.http.ClientInfo;
import dev.weft.routing.Router;
import dev.weft.server.ForwardedHeaders;
import dev.weft.server.InvalidConfigException;
import dev.weft.server.Server;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Request.client() over real connections: the peer, or what a trusted proxy's headers say. */
class TrustedProxiesTest {

    private static final Router APP = Router.builder()
            .get("/who", Extract.request(), request -> {
                ClientInfo client = request.client();
                return Map.of("address", client.address().getHostAddress(), "scheme", client.scheme(),
                        "host", client.host().orElse("-"), "forwarded", client.forwarded());
            })
            .build();

    static Stream<Named<BiFunction<Router, Server.Builder, Client>>> servers() {
        return Stream.of(
                Named.of("http/1.1", TestClient::start),
                Named.of("http/2", TestClient::startHttp2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void a_trusted_peer_forwards_the_client_address_scheme_and_host(BiFunction<Router, Server.Builder, Client> start) {
        try (Client client = start.apply(APP, Server.builder().trustedProxies("127.0.0.0/8", "::1"))) {
            TestResponse response = client.request(dev.weft.http.Method.GET, "/who")
                    .header("x-forwarded-for", "6.6.6.6, 198.51.100.7")
                    .header("x-forwarded-proto", "https")
                    .header("x-forwarded-host", "app.example.com")
                    .send();
            assertThat(response.body()).contains("\"address\":\"198.51.100.7\"", "\"scheme\":\"https\"",
                    "\"host\":\"app.example.com\"", "\"forwarded\":true");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void without_trusted_proxies_the_headers_are_the_clients_to_forge_and_are_ignored(
            BiFunction<Router, Server.Builder, Client> start) {
        try (Client client = start.apply(APP, Server.builder())) {
            TestResponse response = client.request(dev.weft.http.Method.GET, "/who")
                    .header("x-forwarded-for", "198.51.100.7")
                    .header("x-forwarded-proto", "https")
                    .header("forwarded", "for=198.51.100.8;proto=https")
                    .send();
            assertThat(response.body()).contains("\"address\":\"127.0.0.1\"", "\"scheme\":\"http\"",
                    "\"forwarded\":false");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void forwarded_mode_reads_rfc_7239_only(BiFunction<Router, Server.Builder, Client> start) {
        Server.Builder options = Server.builder().trustedProxies("127.0.0.1").forwardedHeaders(ForwardedHeaders.FORWARDED);
        try (Client client = start.apply(APP, options)) {
            TestResponse response = client.request(dev.weft.http.Method.GET, "/who")
                    .header("x-forwarded-for", "6.6.6.6")
                    .header("forwarded", "for=\"[2001:db8::7]:4711\";proto=https;host=app.example.com")
                    .send();
            assertThat(response.body()).contains("\"address\":\"2001:db8:0:0:0:0:0:7\"", "\"scheme\":\"https\"",
                    "\"host\":\"app.example.com\"");
        }
    }

    private static final Router SECURED = Router.builder()
            .layer(dev.weft.middleware.SecurityHeaders.api())
            .get("/login", dev.weft.cookie.Cookies.jar(), jar -> {
                jar.add(dev.weft.cookie.Cookie.builder("sid", "abc").build());
                return "ok";
            })
            .build();

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void hsts_and_secure_cookies_follow_the_proto_of_a_trusted_proxy_only(BiFunction<Router, Server.Builder, Client> start) {
        try (Client client = start.apply(SECURED, Server.builder().trustedProxies("127.0.0.1", "::1"))) {
            TestResponse response = client.request(dev.weft.http.Method.GET, "/login")
                    .header("x-forwarded-for", "198.51.100.7").header("x-forwarded-proto", "https").send();
            assertThat(response.header("strict-transport-security")).isPresent();
            assertThat(response.header("set-cookie")).hasValueSatisfying(c -> assertThat(c).contains("Secure"));
        }
        try (Client client = start.apply(SECURED, Server.builder().trustedProxies("10.0.0.0/8"))) {
            TestResponse response = client.request(dev.weft.http.Method.GET, "/login")
                    .header("x-forwarded-for", "198.51.100.7").header("x-forwarded-proto", "https").send();
            assertThat(response.header("strict-transport-security")).isEmpty();
            assertThat(response.header("set-cookie")).hasValueSatisfying(c -> assertThat(c).doesNotContain("Secure"));
        }
    }

    @Test
    void every_invalid_network_is_reported_at_build() {
        assertThatThrownBy(() -> Server.builder().trustedProxies("10.0.0.1/8", "lb.internal", "::/200").build())
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems()).hasSize(3))
                .hasMessageContaining("did you mean 10.0.0.0/8?");
    }

    @Test
    void the_in_memory_client_has_no_proxies() {
        try (Client client = InMemoryClient.of(APP)) {
            TestResponse response = client.request(dev.weft.http.Method.GET, "/who")
                    .header("x-forwarded-for", "198.51.100.7").send();
            assertThat(response.body()).contains("\"address\":\"127.0.0.1\"", "\"forwarded\":false");
        }
    }
}
