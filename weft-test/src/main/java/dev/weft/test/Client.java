package dev.weft.test;

import dev.weft.http.Method;

/**
 * Sends requests to a Weft app in a test; {@link InMemoryClient} and {@link TestClient} behave
 * the same, so a suite can run against both.
 *
 * <pre>{@code
 * try (var client = TestClient.start(app())) {
 *     TestResponse created = client.post("/todos").json("{\"title\":\"milk\"}").send();
 *     assertEquals(201, created.status());
 * }
 * }</pre>
 */
public interface Client extends AutoCloseable {

    /** Starts a request; finish it with {@link TestRequest#send()}. */
    TestRequest request(Method method, String target);

    default TestResponse get(String target) {
        return request(Method.GET, target).send();
    }

    default TestResponse head(String target) {
        return request(Method.HEAD, target).send();
    }

    default TestResponse delete(String target) {
        return request(Method.DELETE, target).send();
    }

    default TestResponse options(String target) {
        return request(Method.OPTIONS, target).send();
    }

    default TestRequest post(String target) {
        return request(Method.POST, target);
    }

    default TestRequest put(String target) {
        return request(Method.PUT, target);
    }

    default TestRequest patch(String target) {
        return request(Method.PATCH, target);
    }

    /**
     * Opens a WebSocket session to {@code path} ({@code headers}: name, value pairs sent with the
     * handshake).
     *
     * @throws WebSocketClient.HandshakeRefusedException if the server does not answer 101
     */
    TestWebSocket webSocket(String path, String... headers);

    @Override
    void close();
}
