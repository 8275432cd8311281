package dev.weft.test;

import dev.weft.http.Headers;
import dev.weft.http.Method;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/** A request being built in a test. Not thread-safe. */
public final class TestRequest {
    /** What a client does with a finished request. */
    @FunctionalInterface
    interface Sender {
        TestResponse send(Method method, String target, Headers headers, byte[] body);
    }

    private final Method method;
    private final String target;
    private final Sender sender;
    private final Headers.Builder headers = Headers.builder();
    private byte[] body;

    TestRequest(Method method, String target, Sender sender) {
        this.method = Objects.requireNonNull(method);
        this.target = Objects.requireNonNull(target);
        this.sender = sender;
    }

    public TestRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /** A body with no content type. */
    public TestRequest body(byte[] bytes) {
        this.body = bytes.clone();
        return this;
    }

    /** A body with the given content type. */
    public TestRequest body(String contentType, String text) {
        headers.set("content-type", contentType);
        this.body = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** A JSON body ({@code application/json}). */
    public TestRequest json(String json) {
        return body("application/json", json);
    }

    /** A urlencoded form body. */
    public TestRequest form(String urlencoded) {
        return body("application/x-www-form-urlencoded", urlencoded);
    }

    /** Sends the request and waits for the whole response. */
    public TestResponse send() {
        return sender.send(method, target, headers.build(), body);
    }

    /** Sends and applies {@code check}, for fluent assertions. */
    public <T> T send(Function<TestResponse, T> check) {
        return check.apply(send());
    }
}
