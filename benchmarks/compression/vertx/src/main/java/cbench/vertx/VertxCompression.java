package cbench.vertx;

import io.netty.handler.codec.compression.BrotliMode;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The compression benchmark's Vert.x peer: vertx-web {@code GET /json} answering the same 110
 * records as Weft's app, encoded per request ({@code JsonArray.toBuffer()}), with the HTTP
 * server's compression on: gzip 6 (window 15, memory 8), brotli quality 4 (window 22, text mode)
 * and zstd level 3 (Netty's encoders through {@code HttpServerOptions.setCompressors}). One
 * verticle per core, native transport. {@code PORT} (8080).
 */
public final class VertxCompression {
    private VertxCompression() {}

    static JsonArray payload() {
        String[] cities = {"Lisbon", "Oslo", "Nairobi", "Lima", "Osaka", "Tbilisi", "Quebec", "Perth"};
        String[] tags = {"retail", "wholesale", "priority", "new", "returning", "eu", "apac", "trial"};
        JsonArray customers = new JsonArray();
        for (int i = 0; i < 110; i++) {
            customers.add(new JsonObject()
                    .put("id", i)
                    .put("name", "Customer number " + i)
                    .put("email", "customer" + i + "@example.org")
                    .put("city", cities[i % cities.length])
                    .put("tags", new JsonArray().add(tags[i % tags.length]).add(tags[(i * 3 + 1) % tags.length]))
                    .put("score", (i * 37 % 1000) / 10.0)
                    .put("active", i % 3 != 0));
        }
        return customers;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(cores));
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                JsonArray payload = payload();
                Router router = Router.router(vertx);
                router.get("/json").handler(ctx -> ctx.response()
                        .putHeader("content-type", "application/json")
                        .end(payload.toBuffer()));
                HttpServerOptions options = new HttpServerOptions()
                        .setCompressionSupported(true)
                        .setCompressionContentSizeThreshold(1024)
                        .setCompressors(java.util.List.of(
                                StandardCompressionOptions.zstd(3, 1 << 16, 1 << 22),
                                StandardCompressionOptions.brotli(4, 22, BrotliMode.TEXT),
                                StandardCompressionOptions.gzip(6, 15, 8)));
                vertx.createHttpServer(options).requestHandler(router).listen(port)
                        .onSuccess(server -> started.complete())
                        .onFailure(started::fail);
            }
        }, new DeploymentOptions().setInstances(cores))
                .onSuccess(id -> System.out.println("vertx compression peer on :" + port))
                .onFailure(err -> {
                    err.printStackTrace();
                    System.exit(1);
                });
    }
}
