package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Extract;
import dev.weft.middleware.CspNonce;
import dev.weft.middleware.SecurityHeaders;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import dev.weft.server.RunningServer;
import dev.weft.server.Server;
import dev.weft.server.TlsProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SecurityHeaders}: the two presets over every client, HSTS over TLS only, the nonce, overrides. */
class SecurityHeadersTest {
    private static final Pattern NONCE = Pattern.compile("'nonce-([A-Za-z0-9+/_-]+)'");

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static Router api() {
        return Router.builder()
                .layer(SecurityHeaders.api())
                .get("/todos", () -> "[]")
                .get("/own", () -> Response.text("x").withHeader("Content-Security-Policy", "default-src 'self'")
                        .withHeader("referrer-policy", "no-referrer")
                        .withHeader("cross-origin-resource-policy", "cross-origin"))
                .build();
    }

    private static Router site() {
        return Router.builder()
                .layer(SecurityHeaders.html())
                .get("/", Extract.extension(CspNonce.class), nonce -> Response.html(nonce.value()))
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void the_api_preset_sends_its_headers_and_no_hsts_over_plain_http(Function<Router, Client> clients) {
        try (Client client = clients.apply(api())) {
            for (TestResponse answer : new TestResponse[] {client.get("/todos"), client.get("/missing")}) {
                assertThat(answer.header("x-content-type-options")).contains("nosniff");
                assertThat(answer.header("referrer-policy")).contains("strict-origin-when-cross-origin");
                assertThat(answer.header("x-xss-protection")).contains("0");
                assertThat(answer.header("content-security-policy")).contains("default-src 'none'; frame-ancestors 'none'");
                assertThat(answer.header("cross-origin-resource-policy")).contains("same-origin");
                assertThat(answer.header("strict-transport-security")).isEmpty();
                assertThat(answer.header("x-frame-options")).isEmpty();
                assertThat(answer.header("cross-origin-opener-policy")).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void the_handler_s_own_headers_win_and_are_not_doubled(Function<Router, Client> clients) {
        try (Client client = clients.apply(api())) {
            TestResponse answer = client.get("/own");

            assertThat(answer.headers().all("content-security-policy")).containsExactly("default-src 'self'");
            assertThat(answer.headers().all("referrer-policy")).containsExactly("no-referrer");
            assertThat(answer.headers().all("cross-origin-resource-policy")).containsExactly("cross-origin");
            assertThat(answer.header("x-content-type-options")).contains("nosniff");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void the_html_preset_puts_a_fresh_nonce_in_its_policy_and_gives_it_to_the_handler(Function<Router, Client> clients) {
        try (Client client = clients.apply(site())) {
            Set<String> nonces = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                TestResponse answer = client.get("/");
                String policy = answer.header("content-security-policy").orElseThrow();
                Matcher matcher = NONCE.matcher(policy);
                assertThat(matcher.find()).as(policy).isTrue();
                String nonce = matcher.group(1);
                assertThat(answer.body()).isEqualTo(nonce);
                assertThat(policy).contains("script-src 'self' 'nonce-" + nonce + "'")
                        .contains("style-src 'self' 'nonce-" + nonce + "'")
                        .contains("object-src 'none'").contains("frame-ancestors 'none'").doesNotContain("{nonce}");
                assertThat(nonce).hasSizeGreaterThanOrEqualTo(22); // 128 bits in base64
                nonces.add(nonce);
                assertThat(answer.header("cross-origin-opener-policy")).contains("same-origin");
                assertThat(answer.header("x-frame-options")).contains("DENY");
                assertThat(answer.header("x-content-type-options")).contains("nosniff");
                assertThat(answer.header("cross-origin-resource-policy")).isEmpty();
            }
            assertThat(nonces).hasSize(20);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void concurrent_requests_each_get_their_own_nonce_in_header_and_handler(Function<Router, Client> clients)
            throws Exception {
        try (Client client = clients.apply(site());
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<TestResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                answers.add(pool.submit(() -> client.get("/")));
            }
            Set<String> nonces = new HashSet<>();
            for (Future<TestResponse> future : answers) {
                TestResponse answer = future.get(60, TimeUnit.SECONDS);
                Matcher matcher = NONCE.matcher(answer.header("content-security-policy").orElseThrow());
                assertThat(matcher.find()).isTrue();
                assertThat(answer.body()).as("the handler saw its own request's nonce").isEqualTo(matcher.group(1));
                nonces.add(matcher.group(1));
            }
            assertThat(nonces).hasSize(64);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_changed_preset_sends_what_was_chosen(Function<Router, Client> clients) {
        SecurityHeaders changed = SecurityHeaders.html().toBuilder()
                .referrerPolicy("no-referrer")
                .omit("x-frame-options")
                .header("permissions-policy", "camera=(), geolocation=()")
                .contentSecurityPolicy("default-src 'self'; img-src 'self' data:")
                .build();
        Router app = Router.builder().layer(changed).get("/", () -> "x").build();
        try (Client client = clients.apply(app)) {
            TestResponse answer = client.get("/");

            assertThat(answer.header("referrer-policy")).contains("no-referrer");
            assertThat(answer.header("x-frame-options")).isEmpty();
            assertThat(answer.header("permissions-policy")).contains("camera=(), geolocation=()");
            assertThat(answer.header("content-security-policy")).contains("default-src 'self'; img-src 'self' data:");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void over_https_hsts_is_sent_on_both_protocol_versions(TlsProvider provider) throws Exception {
        Router app = Router.builder()
                .layer(SecurityHeaders.api().toBuilder().hstsPreload(true).build())
                .get("/", () -> "x")
                .build();
        try (RunningServer server = Server.builder().host("127.0.0.1").port(0).ioThreads(1).shutdownOnSignal(false)
                .tls(TlsTest.tls(provider)).build().serve(app)) {
            for (HttpClient.Version version : HttpClient.Version.values()) {
                try (HttpClient http = HttpClient.newBuilder().sslContext(TlsTest.trustingTestCa()).version(version)
                        .connectTimeout(Duration.ofSeconds(5)).build()) {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + server.port() + "/")).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString());

                    assertThat(answer.version()).isEqualTo(version);
                    assertThat(answer.headers().allValues("strict-transport-security"))
                            .containsExactly("max-age=31536000; includeSubDomains; preload");
                    assertThat(answer.headers().firstValue("x-content-type-options")).contains("nosniff");
                }
            }
        }
    }
}
