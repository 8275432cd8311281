package dev.weft.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of this package and in docs/rate-limit.md. */
class RateLimitExamples {

    /** What an authentication layer would attach. */
    record User(String id) {}

    static Router basic() {
        // @start region=basic
        // 100 requests a minute and 1000 an hour per client address (through trusted proxies).
        RateLimit api = RateLimit.builder("api")
                .rate(Rate.perMinute(100))
                .rate(Rate.perHour(1000))
                .build();
        return Router.builder()
                .get("/todos", () -> "[]")
                .post("/todos", () -> Response.created("/todos/1", "{}"))
                .routeLayer(api)
                .build();
        // @end
    }

    static RateLimit perUser() {
        // @start region=keys
        // Writes: 10 a second with bursts of 20, per signed-in user; anonymous requests
        // (no User attached by the auth layer) are keyed by their client address.
        return RateLimit.builder("writes")
                .rate(Rate.perSecond(10).withBurst(20))
                .key(RateLimitKey.principal(request -> request.extension(User.class).map(User::id)))
                .build();
        // @end
    }

    @Test
    void basic_limit_sends_the_policy_on_every_response() {
        Response response = basic().handle(Request.builder(Method.GET, "/todos").build());
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.header("ratelimit-policy")).contains("\"api-60s\";q=100;w=60, \"api-3600s\";q=1000;w=3600");
        assertThat(response.header("ratelimit")).contains("\"api-60s\";r=99;t=1, \"api-3600s\";r=999;t=4");
        assertThat(basic().routeTable()).contains("RateLimit(api: 100/min, 1000/h)");
    }

    @Test
    void per_user_limit_names_its_burst() {
        assertThat(perUser().name()).isEqualTo("RateLimit(writes: 10/s burst 20)");
    }
}
