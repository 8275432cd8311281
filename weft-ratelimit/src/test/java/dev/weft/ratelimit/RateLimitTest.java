package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimitTest {
    private final MutableClock clock = new MutableClock();
    private final AtomicInteger calls = new AtomicInteger();

    private Router app(RateLimit limit) {
        return Router.builder()
                .get("/", () -> { calls.incrementAndGet(); return "ok"; })
                .get("/fail", () -> Response.problem(Status.INTERNAL_SERVER_ERROR, "broken"))
                .routeLayer(limit)
                .build();
    }

    private static Response get(Router app, String ip, String... headers) {
        Request.Builder request = Request.builder(Method.GET, "/").remoteAddress(new InetSocketAddress(ip, 40_000));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return app.handle(request.build());
    }

    private static String body(Response response) {
        return new String(((ResponseBody.Bytes) response.body()).bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void builder_reports_every_problem_at_once() {
        assertThatThrownBy(() -> RateLimit.builder("bad name")
                        .rate(Rate.perMinute(0))
                        .rate(Rate.of(5, Duration.ZERO))
                        .rate(Rate.perSecond(10).withBurst(0))
                        .rate(Rate.perHour(1).named("x y"))
                        .maxKeys(0)
                        .build())
                .isInstanceOf(WeftException.class)
                .hasMessageContaining("name must be 1 to 64 letters")
                .hasMessageContaining("rate 1 (0 per PT1M): tokens must be at least 1")
                .hasMessageContaining("rate 2 (5 per PT0S): period must be positive")
                .hasMessageContaining("rate 3 (10 per PT1S): burst capacity must be at least 1, got 0")
                .hasMessageContaining("rate 4 (1 per PT1H): name must be")
                .hasMessageContaining("maxKeys must be at least 1, got 0");
        assertThatThrownBy(() -> RateLimit.builder("api").build()).hasMessageContaining("at least one rate is needed");
        assertThatThrownBy(() -> RateLimit.builder("api").rate(Rate.perMinute(1)).rate(Rate.perMinute(2)).build())
                .hasMessageContaining("its name 'api-60s' is used by another rate");
    }

    @Test
    void a_refused_request_gets_429_quota_exceeded_with_retry_after_and_the_handler_does_not_run() {
        Router app = app(RateLimit.builder("api").rate(Rate.perMinute(3)).clock(clock).build());
        assertThat(get(app, "10.0.0.1").header("ratelimit")).contains("\"api\";r=2;t=20");
        assertThat(get(app, "10.0.0.1").header("ratelimit")).contains("\"api\";r=1;t=40");
        assertThat(get(app, "10.0.0.1").header("ratelimit")).contains("\"api\";r=0;t=60");

        Response refused = get(app, "10.0.0.1");
        assertThat(refused.status().code()).isEqualTo(429);
        assertThat(refused.header("retry-after")).contains("20");
        assertThat(refused.header("content-type")).contains("application/problem+json");
        assertThat(refused.header("ratelimit-policy")).contains("\"api\";q=3;w=60");
        assertThat(refused.header("ratelimit")).contains("\"api\";r=0;t=60");
        assertThat(body(refused))
                .startsWith("{\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\",\"title\":\"Too Many Requests\",\"status\":429,")
                .contains("\"violated-policies\":[\"api\"]")
                .contains("retry after 20 s");
        assertThat(calls).hasValue(3);

        clock.advance(Duration.ofSeconds(19));
        assertThat(get(app, "10.0.0.1").header("retry-after")).contains("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(200);
        assertThat(calls).hasValue(4);
    }

    @Test
    void retry_after_rounds_up_and_is_never_zero() {
        Router app = app(RateLimit.builder("api").rate(Rate.of(1, Duration.ofMillis(1500))).clock(clock).build());
        get(app, "10.0.0.1");
        assertThat(get(app, "10.0.0.1").header("retry-after")).contains("2");
        clock.advance(Duration.ofMillis(1400));
        assertThat(get(app, "10.0.0.1").header("retry-after")).contains("1");
    }

    @Test
    void per_second_means_n_requests_per_second() {
        Router app = app(RateLimit.builder("api").rate(Rate.perSecond(5)).clock(clock).build());
        for (int i = 0; i < 5; i++) {
            assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(200);
        }
        assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(200);
        }
    }

    @Test
    void a_burst_smaller_than_the_rate_smooths_traffic_and_the_policy_says_so() {
        Router app = app(RateLimit.builder("api").rate(Rate.perMinute(60).withBurst(10)).clock(clock).build());
        for (int i = 0; i < 10; i++) {
            assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(200);
        }
        Response refused = get(app, "10.0.0.1");
        assertThat(refused.status().code()).isEqualTo(429);
        assertThat(refused.header("retry-after")).contains("1");
        assertThat(refused.header("ratelimit-policy")).contains("\"api\";q=10;w=10");
    }

    @Test
    void a_burst_larger_than_the_rate_allows_more_after_a_quiet_spell() {
        Router app = app(RateLimit.builder("api").rate(Rate.perSecond(1).withBurst(5)).clock(clock).build());
        for (int i = 0; i < 5; i++) {
            assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(200);
        }
        assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(200);
        assertThat(get(app, "10.0.0.1").header("ratelimit-policy")).contains("\"api\";q=5;w=5");
    }

    @Test
    void every_rate_counts_and_the_refusal_names_the_one_that_ran_out() {
        Router app = app(RateLimit.builder("api")
                .rate(Rate.perSecond(2).named("burst"))
                .rate(Rate.perMinute(3).named("minute"))
                .clock(clock).build());
        assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(200);
        assertThat(get(app, "10.0.0.1").header("ratelimit")).contains("\"burst\";r=0;t=1, \"minute\";r=1;t=40");
        assertThat(body(get(app, "10.0.0.1"))).contains("\"violated-policies\":[\"burst\"]");
        clock.advance(Duration.ofSeconds(1));
        assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(200);
        Response refused = get(app, "10.0.0.1");
        assertThat(body(refused)).contains("\"violated-policies\":[\"minute\"]");
        assertThat(refused.header("retry-after")).contains("19");
        assertThat(refused.header("ratelimit-policy")).contains("\"burst\";q=2;w=1, \"minute\";q=3;w=60");
    }

    @Test
    void headers_are_added_to_every_response_of_a_limited_route_including_errors() {
        Router app = app(RateLimit.builder("api").rate(Rate.perMinute(10)).clock(clock).build());
        Response failed = app.handle(Request.builder(Method.GET, "/fail").build());
        assertThat(failed.status().code()).isEqualTo(500);
        assertThat(failed.header("ratelimit")).contains("\"api\";r=9;t=6");
        assertThat(failed.header("ratelimit-policy")).isPresent();
    }

    @Test
    void clients_have_their_own_buckets_and_an_ipv6_64_shares_one() {
        Router app = app(RateLimit.builder("api").rate(Rate.perMinute(1)).clock(clock).build());
        assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(200);
        assertThat(get(app, "10.0.0.2").status().code()).isEqualTo(200);
        assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(429);
        assertThat(get(app, "2001:db8:1:2::1").status().code()).isEqualTo(200);
        assertThat(get(app, "2001:db8:1:2:ffff:ffff:ffff:ffff").status().code()).as("same /64").isEqualTo(429);
        assertThat(get(app, "2001:db8:1:3::1").status().code()).as("another /64").isEqualTo(200);
    }

    @Test
    void a_missing_key_falls_back_to_the_client_address_so_leaving_a_header_out_does_not_escape() {
        Router app = app(RateLimit.builder("api").rate(Rate.perMinute(1))
                .key(RateLimitKey.header("x-api-key")).clock(clock).build());
        assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(200);
        assertThat(get(app, "10.0.0.1").status().code()).isEqualTo(429);
        assertThat(get(app, "10.0.0.1", "x-api-key", "k1").status().code()).isEqualTo(200);
        assertThat(get(app, "10.0.0.1", "x-api-key", "k1").status().code()).isEqualTo(429);
        assertThat(get(app, "10.0.0.1", "x-api-key", "k2").status().code()).isEqualTo(200);
        assertThat(get(app, "10.0.0.1", "x-api-key", " ").status().code()).as("blank = missing").isEqualTo(429);
    }

    @Test
    void composite_keys_do_not_collide_and_long_keys_are_hashed() {
        RateLimit limit = RateLimit.builder("api").rate(Rate.perMinute(1))
                .key(RateLimitKey.all(RateLimitKey.header("a"), RateLimitKey.header("b"))).clock(clock).build();
        Router app = app(limit);
        assertThat(get(app, "10.0.0.1", "a", "x|1:y", "b", "z").status().code()).isEqualTo(200);
        assertThat(get(app, "10.0.0.1", "a", "x", "b", "y|1:z").status().code()).isEqualTo(200);
        String longValue = "v".repeat(10_000);
        assertThat(get(app, "10.0.0.1", "a", longValue + "1", "b", "z").status().code()).isEqualTo(200);
        assertThat(get(app, "10.0.0.1", "a", longValue + "2", "b", "z").status().code()).isEqualTo(200);
        assertThat(get(app, "10.0.0.1", "a", longValue + "2", "b", "z").status().code()).isEqualTo(429);
        assertThat(Keys.bounded("k".repeat(10_000))).startsWith("sha256:").hasSizeLessThan(64);
    }

    @Test
    void one_value_counts_every_router_it_wraps_together() {
        RateLimit limit = RateLimit.builder("api").rate(Rate.perMinute(2)).clock(clock).build();
        Router a = Router.builder().get("/x", () -> "a").routeLayer(limit).build();
        Router b = Router.builder().get("/x", () -> "b").routeLayer(limit).build();
        Router app = Router.builder().nest("/a", a).nest("/b", b).build();
        assertThat(app.handle(Request.builder(Method.GET, "/a/x").build()).status().code()).isEqualTo(200);
        assertThat(app.handle(Request.builder(Method.GET, "/b/x").build()).status().code()).isEqualTo(200);
        assertThat(app.handle(Request.builder(Method.GET, "/a/x").build()).status().code()).isEqualTo(429);
        assertThat(limit.refused()).isEqualTo(1);
    }

    @Test
    void route_template_keys_give_each_route_its_bucket() {
        RateLimit limit = RateLimit.builder("api").rate(Rate.perMinute(1))
                .key(RateLimitKey.routeTemplate()).clock(clock).build();
        Router app = Router.builder().get("/a/{id}", () -> "a").get("/b", () -> "b").routeLayer(limit).build();
        assertThat(app.handle(Request.builder(Method.GET, "/a/1").build()).status().code()).isEqualTo(200);
        assertThat(app.handle(Request.builder(Method.GET, "/a/2").build()).status().code()).as("same template").isEqualTo(429);
        assertThat(app.handle(Request.builder(Method.GET, "/b").build()).status().code()).isEqualTo(200);
    }

    @Test
    void idle_buckets_are_dropped_once_they_would_be_full_again() {
        RateLimit limit = RateLimit.builder("api").rate(Rate.perMinute(10)).clock(clock).build();
        Router app = app(limit);
        for (int i = 0; i < 50; i++) {
            get(app, "10.0.1." + i);
        }
        assertThat(limit.trackedKeys()).isEqualTo(50);
        clock.advance(Duration.ofSeconds(59));
        get(app, "10.0.2.1");
        assertThat(limit.trackedKeys()).as("not yet full again").isEqualTo(51);
        clock.advance(Duration.ofSeconds(2));
        get(app, "10.0.2.2");
        assertThat(limit.trackedKeys()).isEqualTo(2);
    }

    @Test
    void a_flood_of_new_keys_cannot_evict_a_drained_bucket_and_shares_one_overflow_bucket() {
        RateLimit limit = RateLimit.builder("api").rate(Rate.perMinute(5)).maxKeys(3).clock(clock).build();
        Router app = app(limit);
        for (int i = 0; i < 5; i++) {
            get(app, "10.0.0.1");
        }
        assertThat(get(app, "10.0.0.1").status().code()).as("drained").isEqualTo(429);

        int allowed = 0;
        for (int i = 0; i < 1000; i++) {
            if (get(app, "10.9." + (i / 250) + "." + (i % 250)).status().code() == 200) {
                allowed++;
            }
            clock.advance(Duration.ofMillis(1)); // time passes, but far less than a refill
        }
        assertThat(limit.trackedKeys()).isLessThanOrEqualTo(3);
        assertThat(limit.overflowed()).isGreaterThan(900);
        // 2 free slots plus the shared overflow bucket: at most 2×5 + 5 (+1 refilled in the second).
        assertThat(allowed).isLessThanOrEqualTo(16);
        assertThat(get(app, "10.0.0.1").status().code()).as("still drained").isEqualTo(429);
    }

    @Test
    void limits_survive_many_concurrent_requests_without_granting_extra_tokens() throws Exception {
        RateLimit limit = RateLimit.builder("api").rate(Rate.perHour(100)).clock(clock).build();
        Router app = app(limit);
        AtomicInteger ok = new AtomicInteger();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1000; i++) {
                executor.submit(() -> {
                    if (get(app, "10.0.0.1").status().code() == 200) {
                        ok.incrementAndGet();
                    }
                });
            }
        }
        assertThat(ok).hasValue(100);
        assertThat(limit.refused()).isEqualTo(900);
    }
}
