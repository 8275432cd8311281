package cbench.javalin;

import io.javalin.Javalin;
import io.javalin.compression.Brotli;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.compression.Zstd;
import java.util.ArrayList;
import java.util.List;

/**
 * The compression benchmark's Javalin peer: Javalin 7 on Jetty 12 with virtual threads,
 * {@code GET /json} answering the same 110 records as Weft's app through Javalin's Jackson mapper,
 * with its compression plugin: brotli 4, gzip 6, zstd 3 ({@code CompressionStrategy}; its minimum
 * size stays at its default, 1500 bytes, below the payload). {@code PORT} (8080).
 */
public final class JavalinCompression {
    private JavalinCompression() {}

    public record Customer(int id, String name, String email, String city, List<String> tags, double score, boolean active) {}

    static List<Customer> payload() {
        String[] cities = {"Lisbon", "Oslo", "Nairobi", "Lima", "Osaka", "Tbilisi", "Quebec", "Perth"};
        String[] tags = {"retail", "wholesale", "priority", "new", "returning", "eu", "apac", "trial"};
        List<Customer> customers = new ArrayList<>();
        for (int i = 0; i < 110; i++) {
            customers.add(new Customer(i, "Customer number " + i, "customer" + i + "@example.org", cities[i % cities.length],
                    List.of(tags[i % tags.length], tags[(i * 3 + 1) % tags.length]), (i * 37 % 1000) / 10.0, i % 3 != 0));
        }
        return List.copyOf(customers);
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        List<Customer> payload = payload();
        Javalin app = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.http.compressionStrategy = new CompressionStrategy(new Brotli(4), new Gzip(6), new Zstd(3));
            config.routes.get("/json", ctx -> ctx.json(payload));
        });
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
        app.start("0.0.0.0", port);
    }
}
