package dev.weft.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.cookie.CookieKeys;
import dev.weft.extract.PathParam;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import dev.weft.session.MemorySessionStore;
import dev.weft.session.SessionTooLargeException;
import dev.weft.session.Sessions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sessions over every client, both kinds: lazy creation, expiry, rotation, invalidation, tampering, concurrency, size. */
class SessionTest {
    static final byte[] SECRET = Base64.getDecoder().decode("q5bZbH1s2x0pQ9jX6m5xZ3r0dGVzdC1zZWNyZXQtMzI=");
    static final byte[] OLD_SECRET = Base64.getDecoder().decode("b2xkLXNlY3JldC1mb3ItdGhlLXNlc3Npb24tdGVzdHM=");

    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    /** A clock tests move by hand. */
    static final class MovingClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    enum Kind { COOKIE, STORE }

    static Router app(Sessions sessions) {
        return Router.builder()
                .get("/read", Sessions.session(), s -> s.getString("user").orElse("(none)"))
                .get("/peek", () -> "no session used")
                .post("/put/{value}", Sessions.session(), PathParam.string("value"), (s, v) -> {
                    s.put("user", v);
                    return Response.noContent();
                })
                .post("/count", Sessions.session(), s -> {
                    int n = s.get("n", Integer.class).orElse(0) + 1;
                    s.put("n", n);
                    return Integer.toString(n);
                })
                .post("/login", Sessions.session(), s -> {
                    s.rotate();
                    s.put("user", "ada");
                    return Response.noContent();
                })
                .post("/logout", Sessions.session(), s -> {
                    s.invalidate();
                    return Response.noContent();
                })
                .post("/big/{bytes}", Sessions.session(), PathParam.of("bytes", Integer.class), (s, n) -> {
                    s.put("blob", "x".repeat(n));
                    return Response.noContent();
                })
                .onException(SessionTooLargeException.class, (e, request) -> Response.problem(
                        dev.weft.response.Status.CONTENT_TOO_LARGE, "session full"))
                .layer(sessions)
                .build();
    }

    static Sessions sessions(Kind kind, Clock clock, CookieKeys keys) {
        Sessions.Builder b = kind == Kind.COOKIE ? Sessions.cookies(keys)
                : Sessions.store(MemorySessionStore.builder().clock(clock).build());
        return b.clock(clock).idleTimeout(Duration.ofMinutes(30)).absoluteTimeout(Duration.ofHours(12)).build();
    }

    /** The {@code name=value} pair a response sets, or null. */
    static String pair(TestResponse response) {
        return response.headers().all("set-cookie").stream().filter(c -> c.startsWith("session="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElse(null);
    }

    static TestResponse post(Client client, String target, String cookie) {
        TestRequest request = client.post(target);
        if (cookie != null) {
            request.header("cookie", cookie);
        }
        return request.send();
    }

    static TestResponse get(Client client, String target, String cookie) {
        TestRequest request = client.request(dev.weft.http.Method.GET, target);
        if (cookie != null) {
            request.header("cookie", cookie);
        }
        return request.send();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_session_is_created_only_when_something_is_stored_and_reads_back(Function<Router, Client> start) {
        for (Kind kind : Kind.values()) {
            try (Client client = start.apply(app(sessions(kind, new MovingClock(), CookieKeys.of(SECRET))))) {
                TestResponse read = get(client, "/read", null);
                assertThat(read.body()).isEqualTo("(none)");
                assertThat(read.headers().all("set-cookie")).as(kind + ": nothing stored, no cookie").isEmpty();
                assertThat(get(client, "/peek", null).headers().all("set-cookie")).isEmpty();

                TestResponse put = post(client, "/put/grace", null);
                String cookie = pair(put);
                assertThat(cookie).as(kind.toString()).isNotNull();
                String header = put.header("set-cookie").orElseThrow();
                assertThat(header).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Max-Age", "grace");
                assertThat(get(client, "/read", cookie).body()).isEqualTo("grace");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_session_ends_after_the_idle_timeout_and_slides_while_used(Function<Router, Client> start) {
        for (Kind kind : Kind.values()) {
            MovingClock clock = new MovingClock();
            try (Client client = start.apply(app(sessions(kind, clock, CookieKeys.of(SECRET))))) {
                String cookie = pair(post(client, "/put/ada", null));
                for (int i = 0; i < 4; i++) { // 4 × 20 min: past the 30 min idle timeout in total, never idle that long
                    clock.advance(Duration.ofMinutes(20));
                    TestResponse read = get(client, "/read", cookie);
                    assertThat(read.body()).as(kind + " after " + (i + 1) * 20 + " min").isEqualTo("ada");
                    cookie = pair(read) != null ? pair(read) : cookie; // a cookie session re-issues its cookie
                }
                clock.advance(Duration.ofMinutes(31));
                TestResponse expired = get(client, "/read", cookie);
                assertThat(expired.body()).as(kind.toString()).isEqualTo("(none)");
                assertThat(expired.header("set-cookie").orElseThrow()).as(kind + ": the dead cookie is deleted")
                        .contains("Max-Age=0");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_session_ends_after_the_absolute_timeout_however_active(Function<Router, Client> start) {
        for (Kind kind : Kind.values()) {
            MovingClock clock = new MovingClock();
            try (Client client = start.apply(app(sessions(kind, clock, CookieKeys.of(SECRET))))) {
                String cookie = pair(post(client, "/put/ada", null));
                for (int minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
                    clock.advance(Duration.ofMinutes(20));
                    TestResponse read = get(client, "/read", cookie);
                    assertThat(read.body()).isEqualTo("ada");
                    cookie = pair(read) != null ? pair(read) : cookie;
                }
                clock.advance(Duration.ofMinutes(21)); // 12 h + 1 min after creation
                assertThat(get(client, "/read", cookie).body()).as(kind.toString()).isEqualTo("(none)");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void rotation_keeps_the_values_under_a_new_id_and_retires_the_old_one_in_a_store(Function<Router, Client> start) {
        for (Kind kind : Kind.values()) {
            try (Client client = start.apply(app(sessions(kind, new MovingClock(), CookieKeys.of(SECRET))))) {
                String before = pair(post(client, "/count", null));
                TestResponse login = post(client, "/login", before);
                String after = pair(login);
                assertThat(after).isNotNull().isNotEqualTo(before);
                assertThat(post(client, "/count", after).body()).as(kind + ": values kept").isEqualTo("2");
                if (kind == Kind.STORE) {
                    assertThat(get(client, "/read", before).body()).as("the old id is dead").isEqualTo("(none)");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void invalidation_deletes_the_cookie_and_a_store_forgets_the_session(Function<Router, Client> start) {
        for (Kind kind : Kind.values()) {
            try (Client client = start.apply(app(sessions(kind, new MovingClock(), CookieKeys.of(SECRET))))) {
                String cookie = pair(post(client, "/put/ada", null));
                TestResponse out = post(client, "/logout", cookie);
                assertThat(out.header("set-cookie").orElseThrow()).startsWith("session=;").contains("Max-Age=0");
                if (kind == Kind.STORE) {
                    assertThat(get(client, "/read", cookie).body()).isEqualTo("(none)");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void tampered_truncated_garbage_oversized_or_moved_cookies_read_as_a_fresh_session(Function<Router, Client> start) {
        for (Kind kind : Kind.values()) {
            try (Client client = start.apply(app(sessions(kind, new MovingClock(), CookieKeys.of(SECRET))))) {
                String cookie = pair(post(client, "/put/ada", null));
                String value = cookie.substring("session=".length());
                List<String> hostile = new ArrayList<>();
                for (int i = 0; i < value.length(); i += Math.max(1, value.length() / 12)) {
                    char c = value.charAt(i);
                    hostile.add(value.substring(0, i) + (c == 'A' ? 'B' : 'A') + value.substring(i + 1)); // a changed bit
                }
                hostile.add(value.substring(0, value.length() - 1)); // truncated
                hostile.add(value.substring(0, value.length() / 2));
                hostile.add(value + "A");
                hostile.add("");
                hostile.add("not base64 !");
                hostile.add("%00%ff");
                hostile.add("A".repeat(5000)); // oversized
                for (String bad : hostile) {
                    TestResponse read = get(client, "/read", "session=" + bad);
                    assertThat(read.status()).as(kind + " " + bad).isEqualTo(200);
                    assertThat(read.body()).as(kind + " " + bad).isEqualTo("(none)");
                }
                // The same value under another cookie name is not this session's.
                assertThat(get(client, "/read", "other=" + value).body()).isEqualTo("(none)");
                assertThat(post(client, "/count", "session=" + hostile.getFirst()).body()).as("a fresh one works").isEqualTo("1");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_cookie_session_reads_under_a_previous_key_and_not_once_that_key_is_removed(Function<Router, Client> start) {
        MovingClock clock = new MovingClock();
        String cookie;
        try (Client client = start.apply(app(sessions(Kind.COOKIE, clock, CookieKeys.of(OLD_SECRET))))) {
            cookie = pair(post(client, "/put/ada", null));
        }
        try (Client client = start.apply(app(sessions(Kind.COOKIE, clock, CookieKeys.of(SECRET, OLD_SECRET))))) {
            assertThat(get(client, "/read", cookie).body()).as("rotated ring, old key still reads").isEqualTo("ada");
        }
        try (Client client = start.apply(app(sessions(Kind.COOKIE, clock, CookieKeys.of(SECRET))))) {
            assertThat(get(client, "/read", cookie).body()).as("old key removed").isEqualTo("(none)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_session_too_big_for_its_cookie_fails_clearly_and_a_store_takes_it(Function<Router, Client> start) {
        try (Client client = start.apply(app(sessions(Kind.COOKIE, new MovingClock(), CookieKeys.of(SECRET))))) {
            assertThat(post(client, "/big/2000", null).status()).isEqualTo(204);
            TestResponse tooBig = post(client, "/big/4000", null);
            assertThat(tooBig.status()).isEqualTo(413);
            assertThat(tooBig.headers().all("set-cookie")).isEmpty();
        }
        try (Client client = start.apply(app(sessions(Kind.STORE, new MovingClock(), CookieKeys.of(SECRET))))) {
            String cookie = pair(post(client, "/big/4000", null));
            assertThat(cookie).hasSize("session=".length() + 22);
            assertThat(post(client, "/big/70000", cookie).status()).isEqualTo(413);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void many_parallel_requests_on_one_session_never_lose_it(Function<Router, Client> start) throws Exception {
        for (Kind kind : Kind.values()) {
            try (Client client = start.apply(app(sessions(kind, new MovingClock(), CookieKeys.of(SECRET))));
                    ExecutorService pool = Executors.newFixedThreadPool(16)) {
                String cookie = pair(post(client, "/count", null));
                List<Future<TestResponse>> answers = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    String target = i % 2 == 0 ? "/count" : "/read";
                    answers.add(pool.submit(() -> i2(client, target, cookie)));
                }
                for (Future<TestResponse> answer : answers) {
                    assertThat(answer.get().status()).isIn(200, 204);
                }
                if (kind == Kind.STORE) { // last write wins: some increments may be lost, the session never is
                    int n = Integer.parseInt(post(client, "/count", cookie).body());
                    assertThat(n).isBetween(2, 34);
                }
            }
        }
    }

    private static TestResponse i2(Client client, String target, String cookie) {
        return target.equals("/count") ? post(client, target, cookie) : get(client, target, cookie);
    }

    @org.junit.jupiter.api.Test
    void invalid_options_are_reported_together() {
        assertThatThrownBy(() -> Sessions.cookies(CookieKeys.of(SECRET)).cookieName("__Host-s")
                .idleTimeout(Duration.ZERO).absoluteTimeout(Duration.ofSeconds(-1)).maxBytes(3)
                .withoutCrossOriginProtection()
                .crossOriginProtection(dev.weft.middleware.CrossOriginProtection.create()).build())
                .hasMessageContaining("cookieName").hasMessageContaining("idleTimeout")
                .hasMessageContaining("absoluteTimeout").hasMessageContaining("maxBytes")
                .hasMessageContaining("both given");
    }
}
