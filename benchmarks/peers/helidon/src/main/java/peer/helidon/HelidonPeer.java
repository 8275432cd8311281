package peer.helidon;

import peer.common.Db;
import peer.common.Fortune;
import peer.common.Tfb;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.json.JsonArray;
import io.helidon.json.JsonGenerator;
import io.helidon.json.JsonObject;
import io.helidon.json.JsonValue;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Helidon peer: Helidon SE 4 WebServer (every request on its own virtual thread, the
 * server's default), Helidon's own JSON ({@code io.helidon.json}), HikariCP + pgjdbc.
 *
 * <p>Environment: {@code PORT} (8080), {@code WEFT_PG_PORT} (55432), {@code WEFT_DB_POOL}
 * (2 x cores).
 */
public final class HelidonPeer {

    private static final Header SERVER = HeaderValues.createCached(HeaderNames.SERVER, "helidon");
    private static final Header TEXT_PLAIN = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/plain");
    private static final Header APPLICATION_JSON =
            HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
    private static final Header TEXT_HTML =
            HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private HelidonPeer() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        int port = intEnv("PORT", 8080);
        int cores = Runtime.getRuntime().availableProcessors();
        Db db = new Db(intEnv("WEFT_PG_PORT", 55432), intEnv("WEFT_DB_POOL", 2 * cores));

        WebServer server = WebServer.builder()
                .host("0.0.0.0")
                .port(port)
                // Listener tuning from Helidon's own TechEmpower entry; request and response
                // header validation stays at its (safe) default.
                .backlog(8192)
                .writeQueueLength(8192)
                .smartAsyncWrites(true)
                .routing(routing -> routes(routing, db))
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            db.close();
        }, "shutdown"));
        System.out.printf("helidon peer listening on :%d%n", server.port());
    }

    private static void routes(HttpRouting.Builder routing, Db db) {
        routing.addFilter((chain, req, res) -> {
                    res.header(SERVER);
                    chain.proceed();
                })
                .get("/plaintext", (req, res) -> {
                    res.header(TEXT_PLAIN);
                    res.send(HELLO);
                })
                .get("/json", (req, res) -> send(res, message("Hello, World!")))
                .get("/db", (req, res) -> send(res, json(db.world())))
                .get("/queries", (req, res) -> send(res, json(db.worlds(queries(req)))))
                .get("/updates", (req, res) -> send(res, json(db.update(queries(req)))))
                .get("/fortunes", (req, res) -> fortunes(res, db));
    }

    private static void fortunes(ServerResponse res, Db db) throws Exception {
        List<Fortune> fortunes = db.fortunes();
        fortunes.add(new Fortune(0, "Additional fortune added at request time."));
        fortunes.sort(Comparator.comparing(Fortune::message));
        res.header(TEXT_HTML);
        res.send(Fortune.html(fortunes).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Serializes with Helidon JSON into bytes and sends them with a Content-Length, as Helidon's
     * TechEmpower entry does. ({@code res.send(jsonValue)} through the JSON media support would
     * stream the value and answer with chunked encoding even for a 27-byte body.)
     */
    private static void send(ServerResponse res, JsonValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        JsonGenerator.create(out).write(value).close();
        res.header(APPLICATION_JSON);
        res.send(out.toByteArray());
    }

    private static int queries(ServerRequest req) {
        return Tfb.queries(req.query().contains("queries") ? req.query().get("queries") : null);
    }

    private static JsonObject message(String message) {
        return JsonObject.builder().set("message", message).build();
    }

    private static JsonObject json(Db.World w) {
        return JsonObject.builder().set("id", w.id()).set("randomNumber", w.randomNumber()).build();
    }

    private static JsonArray json(Db.World[] worlds) {
        List<JsonValue> values = new ArrayList<>(worlds.length);
        for (Db.World w : worlds) {
            values.add(json(w));
        }
        return JsonArray.create(values);
    }

    static int intEnv(String name, int dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }
}
