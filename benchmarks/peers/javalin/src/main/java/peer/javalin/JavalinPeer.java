package peer.javalin;

import peer.common.Db;
import peer.common.Fortune;
import peer.common.Tfb;

import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.Comparator;
import java.util.List;

/**
 * The Javalin peer: Javalin 7 on Jetty 12 with {@code useVirtualThreads} (every request on
 * its own virtual thread), Javalin's default Jackson JSON mapper, HikariCP + pgjdbc.
 *
 * <p>Environment: {@code PORT} (8080), {@code WEFT_PG_PORT} (55432), {@code WEFT_DB_POOL}
 * (2 x cores).
 */
public final class JavalinPeer {

    private JavalinPeer() {
    }

    public static void main(String[] args) {
        int port = intEnv("PORT", 8080);
        int cores = Runtime.getRuntime().availableProcessors();
        Db db = new Db(intEnv("WEFT_PG_PORT", 55432), intEnv("WEFT_DB_POOL", 2 * cores));

        Javalin app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            // Jetty writes Date itself; Javalin turns Jetty's Server header off, we want one.
            config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(true));
            config.events.serverStopped(db::close);

            config.routes.get("/plaintext", ctx -> ctx.result("Hello, World!"));
            config.routes.get("/json", ctx -> ctx.json(new Message("Hello, World!")));
            config.routes.get("/db", ctx -> ctx.json(db.world()));
            config.routes.get("/queries", ctx -> ctx.json(db.worlds(Tfb.queries(ctx.queryParam("queries")))));
            config.routes.get("/updates", ctx -> ctx.json(db.update(Tfb.queries(ctx.queryParam("queries")))));
            config.routes.get("/fortunes", ctx -> fortunes(ctx, db));
        });
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
        app.start("0.0.0.0", port);
    }

    record Message(String message) {
    }

    private static void fortunes(Context ctx, Db db) throws Exception {
        List<Fortune> fortunes = db.fortunes();
        fortunes.add(new Fortune(0, "Additional fortune added at request time."));
        fortunes.sort(Comparator.comparing(Fortune::message));
        ctx.contentType("text/html; charset=utf-8").result(Fortune.html(fortunes));
    }

    static int intEnv(String name, int dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }
}
