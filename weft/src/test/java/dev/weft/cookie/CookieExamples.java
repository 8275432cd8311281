package dev.weft.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@code dev.weft.cookie}. */
class CookieExamples {
    private static final String SECRET = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k');

    @Test
    void build() {
        // @start region=build
        Cookie theme = Cookie.builder("theme", "dark")
                .maxAge(Duration.ofDays(365))
                .build(); // Path=/, HttpOnly, SameSite=Lax; Secure when the request came over TLS
        // @end
        assertThat(theme.toHeaderValue(true))
                .isEqualTo("theme=dark; Path=/; Max-Age=31536000; Secure; HttpOnly; SameSite=Lax");
        assertThat(theme.toHeaderValue(false)).doesNotContain("Secure");
    }

    @Test
    void jar() {
        // @start region=jar
        Router router = Router.builder()
                .get("/visit", Cookies.jar(), jar -> {
                    int visits = jar.get("visits").map(Integer::parseInt).orElse(0) + 1;
                    jar.add(Cookie.builder("visits", Integer.toString(visits)).build());
                    return "visit " + visits; // the jar need not be returned
                })
                .build();
        // @end
        Response response = router.handle(Request.builder(Method.GET, "/visit").header("cookie", "visits=41").build());
        assertThat(response.header("set-cookie")).contains("visits=42; Path=/; HttpOnly; SameSite=Lax");
    }

    @Test
    void keys() {
        // @start region=keys
        // The first secret signs and encrypts; the second still reads cookies made before the rotation.
        CookieKeys keys = CookieKeys.ofBase64(System.getenv().getOrDefault("COOKIE_SECRET", SECRET),
                System.getenv().getOrDefault("COOKIE_SECRET_OLD", SECRET.replace('k', 'q')));
        // @end
        assertThat(keys.size()).isEqualTo(2);
    }

    @Test
    void signed() {
        CookieKeys keys = CookieKeys.of(new byte[32]);
        // @start region=signed
        Router router = Router.builder()
                .post("/login", Cookies.signed(keys), jar -> {
                    jar.add(Cookie.builder("user", "ada").build());
                    return Response.noContent();
                })
                .get("/me", Cookies.signed(keys), jar -> jar.get("user").orElse("anonymous"))
                .build();
        // @end
        String setCookie = router.handle(Request.builder(Method.POST, "/login").build()).header("set-cookie").orElseThrow();
        String pair = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(body(router.handle(Request.builder(Method.GET, "/me").header("cookie", pair).build()))).isEqualTo("ada");
        assertThat(body(router.handle(Request.builder(Method.GET, "/me").header("cookie", "user=ada").build())))
                .isEqualTo("anonymous");
    }

    @Test
    void encrypted() {
        CookieKeys keys = CookieKeys.of(new byte[32]);
        // @start region=private
        Router router = Router.builder()
                .post("/cart", Cookies.encrypted(keys), jar -> {
                    jar.add(Cookie.builder("cart", "item-17").maxAge(Duration.ofHours(2)).build());
                    return Response.noContent();
                })
                .get("/cart", Cookies.encrypted(keys), jar -> jar.get("cart").orElse("empty"))
                .build();
        // @end
        String setCookie = router.handle(Request.builder(Method.POST, "/cart").build()).header("set-cookie").orElseThrow();
        assertThat(setCookie).doesNotContain("item-17");
        String pair = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(body(router.handle(Request.builder(Method.GET, "/cart").header("cookie", pair).build())))
                .isEqualTo("item-17");
    }

    private static String body(Response response) {
        return new String(((dev.weft.response.ResponseBody.Bytes) response.body()).bytes(),
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
