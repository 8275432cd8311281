package dev.weft.test;

import dev.weft.routing.Router;

/**
 * The ways a test can reach an app, so one suite runs over each of them and shows they answer
 * alike: in memory, HTTP/1.1 on a socket, and cleartext HTTP/2 on a socket.
 *
 * <p>Each constant starts a fresh {@link Client} for a router; close it to stop its server. With
 * JUnit, {@code @EnumSource(Transport.class)} runs a parameterized test once per transport, and a
 * display name of {@code "{0}"} labels each run with the transport's {@link #toString() name}
 * ({@code in-memory}, {@code http/1.1}, {@code http/2}). This type does not depend on JUnit.
 *
 * {@snippet class=dev.weft.test.TransportExamples region=every-transport}
 */
public enum Transport {
    /** {@link InMemoryClient}: no socket, no connection behaviour. */
    IN_MEMORY("in-memory") {
        @Override
        public Client start(Router router) {
            return InMemoryClient.of(router);
        }
    },
    /** {@link TestClient#start(Router)}: a real server on a free port, HTTP/1.1. */
    HTTP_1_1("http/1.1") {
        @Override
        public Client start(Router router) {
            return TestClient.start(router);
        }
    },
    /** {@link TestClient#startHttp2(Router)}: a real server on a free port, HTTP/2 over an h2c upgrade. */
    HTTP_2("http/2") {
        @Override
        public Client start(Router router) {
            return TestClient.startHttp2(router);
        }
    };

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    /** Starts a client for {@code router} over this transport, with default server options. */
    public abstract Client start(Router router);

    /** The name for test reports: {@code in-memory}, {@code http/1.1} or {@code http/2}. */
    @Override
    public String toString() {
        return label;
    }
}
