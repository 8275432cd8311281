package peer.vertx;

import peer.common.Fortune;
import peer.common.Tfb;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One instance per event loop; everything here runs on that loop and never blocks. */
final class PeerVerticle extends VerticleBase {

    private static final CharSequence SERVER = HttpHeaders.createOptimized("vertx");
    private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain");
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence TEXT_HTML = HttpHeaders.createOptimized("text/html; charset=utf-8");
    private static final Buffer HELLO = Buffer.buffer("Hello, World!");

    private static final String SELECT_WORLD = "SELECT id, randomnumber FROM world WHERE id = $1";
    private static final String UPDATE_WORLD = "UPDATE world SET randomnumber = $1 WHERE id = $2";
    private static final String SELECT_FORTUNES = "SELECT id, message FROM fortune";

    private final int port;
    private final int pgPort;
    private final int poolSize;

    private SqlClient db;
    private CharSequence date = now();

    PeerVerticle(int port, int pgPort, int poolSize) {
        this.port = port;
        this.pgPort = pgPort;
        this.poolSize = poolSize;
    }

    @Override
    public Future<?> start() {
        // A "pooled client" (PgBuilder.client) pipelines commands over its connections; a plain
        // Pool does not. Created here, its connections live on this verticle's event loop.
        db = PgBuilder.client()
                .with(new PoolOptions().setMaxSize(poolSize))
                .connectingTo(new PgConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(pgPort)
                        .setDatabase("hello_world")
                        .setUser("benchmarkdbuser")
                        .setPassword("benchmarkdbpass")
                        .setCachePreparedStatements(true)
                        .setPipeliningLimit(PgConnectOptions.DEFAULT_PIPELINING_LIMIT))
                .using(vertx)
                .build();

        vertx.setPeriodic(1000, id -> date = now());

        Router router = Router.router(vertx);
        router.get("/plaintext").handler(this::plaintext);
        router.get("/json").handler(this::json);
        router.get("/db").handler(this::db);
        router.get("/queries").handler(this::queries);
        router.get("/updates").handler(this::updates);
        router.get("/fortunes").handler(this::fortunes);

        return vertx.createHttpServer(new HttpServerOptions().setHost("0.0.0.0").setPort(port))
                .requestHandler(router)
                .listen();
    }

    private void plaintext(RoutingContext ctx) {
        send(ctx, TEXT_PLAIN, HELLO);
    }

    private void json(RoutingContext ctx) {
        send(ctx, APPLICATION_JSON, new JsonObject().put("message", "Hello, World!").toBuffer());
    }

    private void db(RoutingContext ctx) {
        selectWorld()
                .onSuccess(world -> send(ctx, APPLICATION_JSON, world.toBuffer()))
                .onFailure(ctx::fail);
    }

    private void queries(RoutingContext ctx) {
        int n = Tfb.queries(ctx.request().getParam("queries"));
        List<Future<JsonObject>> reads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            reads.add(selectWorld());
        }
        Future.all(reads)
                .onSuccess(all -> {
                    JsonArray worlds = new JsonArray(new ArrayList<>(n));
                    for (Future<JsonObject> read : reads) {
                        worlds.add(read.result());
                    }
                    send(ctx, APPLICATION_JSON, worlds.toBuffer());
                })
                .onFailure(ctx::fail);
    }

    private void updates(RoutingContext ctx) {
        int n = Tfb.queries(ctx.request().getParam("queries"));
        List<Future<JsonObject>> reads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            reads.add(selectWorld());
        }
        Future.all(reads)
                .compose(all -> {
                    List<JsonObject> worlds = new ArrayList<>(n);
                    for (Future<JsonObject> read : reads) {
                        worlds.add(read.result().put("randomNumber", Tfb.randomId()));
                    }
                    // Sorted ids keep concurrent batches from deadlocking each other.
                    List<Tuple> batch = worlds.stream()
                            .sorted(Comparator.comparingInt(w -> w.getInteger("id")))
                            .map(w -> Tuple.of(w.getInteger("randomNumber"), w.getInteger("id")))
                            .toList();
                    return db.preparedQuery(UPDATE_WORLD).executeBatch(batch).map(done -> worlds);
                })
                .onSuccess(worlds -> send(ctx, APPLICATION_JSON, new JsonArray(new ArrayList<>(worlds)).toBuffer()))
                .onFailure(ctx::fail);
    }

    private void fortunes(RoutingContext ctx) {
        db.preparedQuery(SELECT_FORTUNES).execute()
                .onSuccess(rows -> {
                    List<Fortune> fortunes = new ArrayList<>(rows.size() + 1);
                    for (Row row : rows) {
                        fortunes.add(new Fortune(row.getInteger(0), row.getString(1)));
                    }
                    fortunes.add(new Fortune(0, "Additional fortune added at request time."));
                    fortunes.sort(Comparator.comparing(Fortune::message));
                    send(ctx, TEXT_HTML, Buffer.buffer(Fortune.html(fortunes)));
                })
                .onFailure(ctx::fail);
    }

    private Future<JsonObject> selectWorld() {
        return db.preparedQuery(SELECT_WORLD).execute(Tuple.of(Tfb.randomId())).map(PeerVerticle::world);
    }

    private static JsonObject world(RowSet<Row> rows) {
        Row row = rows.iterator().next();
        return new JsonObject().put("id", row.getInteger(0)).put("randomNumber", row.getInteger(1));
    }

    private void send(RoutingContext ctx, CharSequence contentType, Buffer body) {
        MultiMap headers = ctx.response().headers();
        headers.add(HttpHeaders.SERVER, SERVER);
        headers.add(HttpHeaders.DATE, date);
        headers.add(HttpHeaders.CONTENT_TYPE, contentType);
        ctx.response().end(body);
    }

    private static CharSequence now() {
        return HttpHeaders.createOptimized(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()));
    }
}
