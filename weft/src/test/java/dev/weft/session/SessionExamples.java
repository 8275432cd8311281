package dev.weft.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cookie.CookieKeys;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@code dev.weft.session}. */
class SessionExamples {
    @Test
    void cookie() {
        CookieKeys keys = CookieKeys.of(new byte[32]);
        // @start region=cookie
        Router router = Router.builder()
                .post("/cart/{item}", Sessions.session(), dev.weft.extract.PathParam.string("item"), (session, item) -> {
                    List<String> cart = new ArrayList<>(session.get("cart", String[].class).map(List::of).orElse(List.of()));
                    cart.add(item);
                    session.put("cart", cart); // stored as JSON, encrypted in the cookie
                    return Response.noContent();
                })
                .get("/cart", Sessions.session(), session -> session.get("cart", String[].class)
                        .map(items -> String.join(",", items)).orElse("empty"))
                .layer(Sessions.cookies(keys).idleTimeout(Duration.ofMinutes(30)).build()) // + CSRF protection
                .build();
        // @end
        Response added = router.handle(Request.builder(Method.POST, "/cart/tea").build());
        String cookie = added.header("set-cookie").orElseThrow();
        assertThat(cookie).startsWith("session=").contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("tea");
        String pair = cookie.substring(0, cookie.indexOf(';'));
        assertThat(body(router.handle(Request.builder(Method.GET, "/cart").header("cookie", pair).build())))
                .isEqualTo("tea");
        assertThat(body(router.handle(Request.builder(Method.GET, "/cart").build()))).isEqualTo("empty");
    }

    @Test
    void login() {
        // @start region=login
        Router router = Router.builder()
                .post("/login", Sessions.session(), session -> {
                    session.rotate(); // a new id on login: an id planted before it is worthless now
                    session.put("user", "ada");
                    return Response.noContent();
                })
                .post("/logout", Sessions.session(), session -> {
                    session.invalidate(); // forgotten by the store, cookie deleted
                    return Response.noContent();
                })
                .get("/me", Sessions.session(), session -> session.getString("user").orElse("anonymous"))
                .layer(Sessions.store(MemorySessionStore.create()).build())
                .build();
        // @end
        String cookie = router.handle(Request.builder(Method.POST, "/login").build()).header("set-cookie").orElseThrow();
        String pair = cookie.substring(0, cookie.indexOf(';'));
        assertThat(body(router.handle(Request.builder(Method.GET, "/me").header("cookie", pair).build()))).isEqualTo("ada");
        Response out = router.handle(Request.builder(Method.POST, "/logout").header("cookie", pair).build());
        assertThat(out.header("set-cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(body(router.handle(Request.builder(Method.GET, "/me").header("cookie", pair).build())))
                .isEqualTo("anonymous");
    }

    @Test
    void store() {
        // @start region=store
        SessionStore store = MemorySessionStore.builder()
                .maxSessions(50_000) // past it, the least recently used session is evicted
                .build();
        Sessions sessions = Sessions.store(store)
                .idleTimeout(Duration.ofMinutes(15))
                .absoluteTimeout(Duration.ofHours(8))
                .build();
        // @end
        assertThat(sessions.name()).isEqualTo("Sessions+CrossOriginProtection");
    }

    static String body(Response response) {
        return new String(((ResponseBody.Bytes) response.body()).bytes(), StandardCharsets.UTF_8);
    }
}
