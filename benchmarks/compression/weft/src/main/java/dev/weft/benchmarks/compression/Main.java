package dev.weft.benchmarks.compression;

import dev.weft.middleware.Compression;
import dev.weft.routing.Router;
import dev.weft.server.Server;
import java.util.ArrayList;
import java.util.List;

/**
 * The compression benchmark's Weft app: {@code GET /json} answers the same list of 110 records as
 * the peers (about 14 KiB of JSON), encoded per request, behind {@link Compression} with its
 * defaults (zstd 3, br 4, gzip 6). {@code PORT} (8080).
 */
public final class Main {
    private Main() {}

    public record Customer(int id, String name, String email, String city, List<String> tags, double score, boolean active) {}

    /** The payload, built the same way by every app of this benchmark. */
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

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        List<Customer> payload = payload();
        Router app = Router.builder()
                .layer(Compression.create())
                .get("/json", () -> payload)
                .build();
        Server.builder().port(port).build().serve(app).awaitShutdown();
    }
}
