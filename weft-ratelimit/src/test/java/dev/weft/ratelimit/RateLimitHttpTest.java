package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.server.Server;
import dev.weft.test.Client;
import dev.weft.test.TestClient;
import dev.weft.test.TestResponse;
import dev.weft.test.Transport;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Local rate limits over every client (in memory, HTTP/1.1, HTTP/2), and client keys behind proxies. */
class RateLimitHttpTest {

    static Stream<Named<Function<Router, Client>>> clients() {
        return Arrays.stream(Transport.values())
                .map(transport -> Named.of(transport.toString(), (Function<Router, Client>) transport::start));
    }

    private static Router app(RateLimit limit) {
        return Router.builder()
                .get("/limited", () -> "ok")
                .routeLayer(limit)
                .build();
    }

    @ParameterizedTest
    @MethodSource("clients")
    void headers_then_429_with_retry_after_over_every_protocol(Function<Router, Client> start) {
        RateLimit limit = RateLimit.builder("api").rate(Rate.perHour(2)).rate(Rate.perDay(100)).build();
        try (Client client = start.apply(app(limit))) {
            TestResponse first = client.get("/limited");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("ratelimit-policy")).contains("\"api-3600s\";q=2;w=3600, \"api-86400s\";q=100;w=86400");
            assertThat(first.header("ratelimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"api-3600s\";r=1;t="));
            assertThat(client.get("/limited").status()).isEqualTo(200);

            TestResponse refused = client.get("/limited");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.body()).contains("\"violated-policies\":[\"api-3600s\"]").contains("quota-exceeded");
            long retryAfter = Long.parseLong(refused.header("retry-after").orElseThrow());
            assertThat(retryAfter).isBetween(1795L, 1800L); // one token every 30 min
            assertThat(refused.header("ratelimit")).hasValueSatisfying(v -> assertThat(v).contains("r=0"));
            assertThat(client.get("/unknown").status()).as("404 is outside the routeLayer").isEqualTo(404);
        }
    }

    @Test
    void a_spoofed_x_forwarded_for_from_an_untrusted_peer_is_ignored() {
        RateLimit limit = RateLimit.builder("api").rate(Rate.perHour(3)).build();
        // The test client connects from 127.0.0.1, which is not in the trusted list.
        try (TestClient client = TestClient.start(app(limit), Server.builder().trustedProxies("10.0.0.0/8"))) {
            int ok = 0;
            for (int i = 0; i < 20; i++) {
                TestResponse response = client.request(dev.weft.http.Method.GET, "/limited")
                        .header("x-forwarded-for", "203.0.113." + i)
                        .header("forwarded", "for=198.51.100." + i)
                        .header("x-real-ip", "192.0.2." + i)
                        .send();
                if (response.status() == 200) {
                    ok++;
                }
            }
            assertThat(ok).isEqualTo(3);
            assertThat(limit.trackedKeys()).isEqualTo(1);
        }
    }

    @Test
    void a_trusted_proxy_s_x_forwarded_for_names_the_client() {
        RateLimit limit = RateLimit.builder("api").rate(Rate.perHour(1)).build();
        try (TestClient client = TestClient.start(app(limit), Server.builder().trustedProxies("127.0.0.1/32"))) {
            for (int i = 0; i < 5; i++) {
                TestResponse response = client.request(dev.weft.http.Method.GET, "/limited")
                        .header("x-forwarded-for", "203.0.113." + i).send();
                assertThat(response.status()).isEqualTo(200);
            }
            // The right-most untrusted address counts: a value the client adds on the left does not.
            TestResponse again = client.request(dev.weft.http.Method.GET, "/limited")
                    .header("x-forwarded-for", "1.1.1.1, 203.0.113.0").send();
            assertThat(again.status()).isEqualTo(429);
            assertThat(limit.trackedKeys()).isEqualTo(5);
        }
    }
}
