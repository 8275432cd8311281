package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Cors}. */
class CorsExamples {
    // @start region=cors
    static Router app() {
        Cors cors = Cors.builder()
                .allowOrigins("https://app.example.com")
                .allowOriginPatterns("https://*.preview.example.com")
                .allowCredentials(true)
                .allowHeaders("content-type", "authorization")
                .exposeHeaders("etag")
                .maxAge(Duration.ofMinutes(30))
                .build();
        return Router.builder()
                .layer(cors) // outermost: 401, 404, 429 and 500 answers get CORS headers too
                .get("/todos", () -> "[]")
                .post("/todos", () -> Response.noContent())
                .build();
    }
    // @end

    @Test
    void a_preflight_is_answered_with_the_route_s_methods() {
        Response answer = app().handle(Request.builder(Method.OPTIONS, "/todos")
                .header("origin", "https://pr-7.preview.example.com")
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type")
                .build());

        assertThat(answer.status().code()).isEqualTo(204);
        assertThat(answer.header("access-control-allow-origin")).contains("https://pr-7.preview.example.com");
        assertThat(answer.header("access-control-allow-methods")).contains("GET, HEAD, POST, OPTIONS");
        assertThat(answer.header("access-control-allow-credentials")).contains("true");
        assertThat(answer.header("access-control-max-age")).contains("1800");
    }

    @Test
    void an_actual_request_gets_the_origin_and_the_exposed_headers() {
        Response answer = app().handle(Request.builder(Method.GET, "/todos")
                .header("origin", "https://app.example.com").build());

        assertThat(answer.header("access-control-allow-origin")).contains("https://app.example.com");
        assertThat(answer.header("access-control-expose-headers"))
                .contains("x-request-id, retry-after, ratelimit, ratelimit-policy, etag");
        assertThat(answer.header("vary")).contains("origin");
        assertThat(app().routeTable()).contains("Cors");
    }
}
