package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cookie.Cookie;
import dev.weft.cookie.CookieKeys;
import dev.weft.cookie.Cookies;
import dev.weft.http.Method;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Signed and private cookies over every client: tampering, forging, swapping, key rotation. */
class SignedCookieTest {

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    private static Router app(CookieKeys keys) {
        return Router.builder()
                .post("/signed", Cookies.signed(keys), jar -> {
                    jar.add(Cookie.builder("user", "ada").build());
                    jar.add(Cookie.builder("role", "reader").build());
                    return Response.noContent();
                })
                .get("/signed", Cookies.signed(keys), jar ->
                        jar.get("user").orElse("-") + "|" + jar.get("role").orElse("-"))
                .post("/private", Cookies.encrypted(keys), jar -> {
                    jar.add(Cookie.builder("user", "ada").build());
                    jar.add(Cookie.builder("role", "reader").build());
                    return Response.noContent();
                })
                .get("/private", Cookies.encrypted(keys), jar ->
                        jar.get("user").orElse("-") + "|" + jar.get("role").orElse("-"))
                .build();
    }

    /** The name=value pairs of the response's set-cookie lines. */
    private static List<String> pairs(TestResponse response) {
        List<String> pairs = new ArrayList<>();
        for (String line : response.headers().all("set-cookie")) {
            pairs.add(line.substring(0, line.indexOf(';')));
        }
        return pairs;
    }

    private static String read(Client client, String path, String cookie) {
        TestResponse response = client.request(Method.GET, path).header("cookie", cookie).send();
        assertThat(response.status()).as("%s with cookie %s", path, cookie).isEqualTo(200);
        return response.body();
    }

    private static String value(String pair) {
        return pair.substring(pair.indexOf('=') + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void signed_and_private_cookies_round_trip(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(CookieJarTest.keys(1)))) {
            for (String path : List.of("/signed", "/private")) {
                List<String> set = pairs(client.post(path).send());
                assertThat(read(client, path, String.join("; ", set))).isEqualTo("ada|reader");
            }
            assertThat(pairs(client.post("/private").send())).allSatisfy(p -> assertThat(p).doesNotContain("ada", "reader"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_changed_forged_truncated_or_garbage_cookie_reads_as_absent(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(CookieJarTest.keys(1)))) {
            for (String path : List.of("/signed", "/private")) {
                String user = pairs(client.post(path).send()).getFirst();
                String v = value(user);
                String flipped = v.substring(0, 5) + (v.charAt(5) == 'A' ? 'B' : 'A') + v.substring(6);
                String lastFlipped = v.substring(0, v.length() - 1) + (v.endsWith("a") ? 'b' : 'a');
                for (String forged : List.of("user=" + flipped, "user=" + lastFlipped, "user=" + v.substring(0, v.length() - 2),
                        "user=" + v.substring(0, 10), "user=", "user=ada", "user=admin", "user=%%%garbage%%%",
                        "user=" + "A".repeat(200), "user=" + v + "x", "user=\"" + v + "\"x")) {
                    assertThat(read(client, path, forged)).as("%s %s", path, forged).isEqualTo("-|-");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_value_moved_to_another_cookie_name_is_rejected(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(CookieJarTest.keys(1)))) {
            for (String path : List.of("/signed", "/private")) {
                List<String> set = pairs(client.post(path).send());
                String swapped = "user=" + value(set.get(1)) + "; role=" + value(set.get(0));
                assertThat(read(client, path, swapped)).as(path).isEqualTo("-|-");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_rotated_key_still_reads_old_cookies_and_a_removed_key_does_not(Function<Router, Client> clients) {
        List<String> oldSigned;
        List<String> oldPrivate;
        try (Client before = clients.apply(app(CookieJarTest.keys(1)))) {
            oldSigned = pairs(before.post("/signed").send());
            oldPrivate = pairs(before.post("/private").send());
        }
        try (Client rotated = clients.apply(app(CookieJarTest.keys(2, 1)))) {
            assertThat(read(rotated, "/signed", String.join("; ", oldSigned))).isEqualTo("ada|reader");
            assertThat(read(rotated, "/private", String.join("; ", oldPrivate))).isEqualTo("ada|reader");
        }
        try (Client retired = clients.apply(app(CookieJarTest.keys(3, 2)))) {
            assertThat(read(retired, "/signed", String.join("; ", oldSigned))).isEqualTo("-|-");
            assertThat(read(retired, "/private", String.join("; ", oldPrivate))).isEqualTo("-|-");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_signed_cookie_is_not_accepted_as_a_private_one_nor_the_reverse(Function<Router, Client> clients) {
        try (Client client = clients.apply(app(CookieJarTest.keys(1)))) {
            String signed = String.join("; ", pairs(client.post("/signed").send()));
            String sealed = String.join("; ", pairs(client.post("/private").send()));
            assertThat(read(client, "/private", signed)).isEqualTo("-|-");
            assertThat(read(client, "/signed", sealed)).isEqualTo("-|-");
        }
    }
}
