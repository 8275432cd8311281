package dev.weft.test;

import static dev.weft.test.SessionTest.get;
import static dev.weft.test.SessionTest.pair;
import static dev.weft.test.SessionTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.routing.Router;
import dev.weft.session.MemorySessionStore;
import dev.weft.session.SessionStore;
import dev.weft.session.SessionStoreUnavailableException;
import dev.weft.session.Sessions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A session store that cannot answer (as Redis down): requests carrying a session are answered
 * 503 with retry-after instead of being logged out, changes that cannot be kept are not reported
 * as done, requests without a session are untouched, and everything works again once it answers.
 */
class SessionStoreUnavailableTest {
    static Stream<Named<Function<Router, Client>>> clients() {
        return Clients.both();
    }

    enum Op { LOAD, SAVE, UPDATE, TOUCH, DELETE }

    /** A memory store whose chosen operations fail as an unreachable store's would. */
    static class FlakyStore implements SessionStore {
        final SessionStore memory = MemorySessionStore.create();
        final Set<Op> failing = EnumSet.noneOf(Op.class);
        final AtomicInteger calls = new AtomicInteger();

        private void check(Op op) {
            calls.incrementAndGet();
            synchronized (failing) {
                if (failing.contains(op)) {
                    throw new SessionStoreUnavailableException(op + ": store down", Duration.ofMillis(2500), null);
                }
            }
        }

        void fail(Op... ops) {
            synchronized (failing) {
                failing.clear();
                failing.addAll(Set.of(ops));
            }
        }

        @Override public Optional<byte[]> load(String key) { check(Op.LOAD); return memory.load(key); }
        @Override public void save(String key, byte[] data, Duration ttl) { check(Op.SAVE); memory.save(key, data, ttl); }
        @Override public boolean update(String key, byte[] data, Duration ttl) { check(Op.UPDATE); return memory.update(key, data, ttl); }
        @Override public boolean touch(String key, Duration ttl) { check(Op.TOUCH); return memory.touch(key, ttl); }
        @Override public void delete(String key) { check(Op.DELETE); memory.delete(key); }
    }

    private static void assertUnavailable(TestResponse response) {
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("retry-after")).as("2.5 s rounded up").contains("3");
        assertThat(response.body()).contains("session store is unavailable").doesNotContain("store down");
        assertThat(response.headers().all("set-cookie")).as("the cookie is kept for the retry").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_request_with_a_session_gets_503_while_the_store_is_down_and_its_session_back_afterwards(
            Function<Router, Client> start) {
        FlakyStore store = new FlakyStore();
        try (Client client = start.apply(SessionTest.app(Sessions.store(store).build()))) {
            String cookie = pair(post(client, "/put/ada", null));
            store.fail(Op.values());
            for (String target : new String[] {"/read", "/peek"}) {
                assertUnavailable(get(client, target, cookie));
            }
            assertUnavailable(post(client, "/logout", cookie));
            assertUnavailable(post(client, "/count", cookie));
            store.fail();
            TestResponse read = get(client, "/read", cookie);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body()).as("not logged out by the outage").isEqualTo("ada");
            assertThat(post(client, "/count", cookie).body()).as("the failed /count changed nothing").isEqualTo("1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void requests_without_a_session_never_reach_the_store_and_are_answered_normally(Function<Router, Client> start) {
        FlakyStore store = new FlakyStore();
        try (Client client = start.apply(SessionTest.app(Sessions.store(store).build()))) {
            store.fail(Op.values());
            TestResponse peek = get(client, "/peek", null);
            assertThat(peek.status()).isEqualTo(200);
            TestResponse read = get(client, "/read", null);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("(none)");
            assertThat(store.calls).hasValue(0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_change_that_cannot_be_kept_is_answered_503_not_reported_as_done(Function<Router, Client> start) {
        FlakyStore store = new FlakyStore();
        try (Client client = start.apply(SessionTest.app(Sessions.store(store).build()))) {
            store.fail(Op.SAVE);
            assertUnavailable(post(client, "/put/ada", null)); // a new session that cannot be saved
            store.fail();
            String cookie = pair(post(client, "/put/ada", null));

            store.fail(Op.UPDATE);
            assertUnavailable(post(client, "/put/grace", cookie));
            store.fail(Op.DELETE);
            assertUnavailable(post(client, "/logout", cookie)); // the session would outlive a "done" logout
            assertUnavailable(post(client, "/login", cookie)); // rotation must retire the old id
            store.fail(Op.SAVE);
            assertUnavailable(post(client, "/login", cookie));
            store.fail();
            assertThat(get(client, "/read", cookie).body()).isEqualTo("ada");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void a_failed_expiry_refresh_is_tolerated(Function<Router, Client> start) {
        FlakyStore store = new FlakyStore();
        try (Client client = start.apply(SessionTest.app(Sessions.store(store).build()))) {
            String cookie = pair(post(client, "/put/ada", null));
            store.fail(Op.TOUCH);
            TestResponse read = get(client, "/read", cookie);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("ada");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void other_store_failures_are_not_mistaken_for_an_outage(Function<Router, Client> start) {
        SessionStore broken = new FlakyStore() {
            @Override public Optional<byte[]> load(String key) { throw new IllegalStateException("bug"); }
        };
        try (Client client = start.apply(SessionTest.app(Sessions.store(broken).build()))) {
            String cookie = pair(post(client, "/put/ada", null));
            assertThat(get(client, "/read", cookie).status()).isEqualTo(500);
        }
    }
}
