package dev.weft.redis;

import dev.weft.extract.PathParam;
import dev.weft.http.Method;
import dev.weft.response.Response;
import dev.weft.routing.Router;
import dev.weft.session.Sessions;
import dev.weft.test.TestClient;
import dev.weft.test.TestRequest;
import dev.weft.test.TestResponse;
import java.time.Duration;

/** The application of the integration tests: log in (with rotation), read, change, count, log out. */
final class SessionApp {
    private SessionApp() {}

    static Router router(RedisSessionStore store, Duration idle) {
        return Router.builder()
                .post("/login/{user}", Sessions.session(), PathParam.string("user"), (session, user) -> {
                    session.rotate();
                    session.put("user", user);
                    return Response.noContent();
                })
                .get("/me", Sessions.session(), session -> session.getString("user").orElse("anonymous"))
                .get("/plain", () -> "no session")
                .post("/count", Sessions.session(), session -> {
                    int n = session.get("n", Integer.class).orElse(0) + 1;
                    session.put("n", n);
                    return Integer.toString(n);
                })
                .post("/logout", Sessions.session(), session -> {
                    session.invalidate();
                    return Response.noContent();
                })
                .layer(Sessions.store(store).idleTimeout(idle).absoluteTimeout(Duration.ofHours(1)).build())
                .build();
    }

    static TestResponse send(TestClient client, Method method, String target, String cookie) {
        TestRequest request = client.request(method, target);
        if (cookie != null) {
            request.header("cookie", cookie);
        }
        return request.send();
    }

    /** The {@code session=value} pair a response sets (null if none); an empty value means deleted. */
    static String cookie(TestResponse response) {
        return response.headers().all("set-cookie").stream().filter(c -> c.startsWith("session="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElse(null);
    }
}
