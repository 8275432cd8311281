package dev.weft.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * A realistic route table of exactly {@code size} patterns: a few fixed routes (root, health, a
 * static API path, a catch-all) followed by generated resources, four routes each:
 *
 * <pre>
 * /api/v1/resource{r}/{id}/items/{itemId}   dynamic, two parameters
 * /api/v1/resource{r}/profile               static
 * /api/v1/resource{r}/{id}                  dynamic, one parameter
 * /api/v1/resource{r}                       static
 * </pre>
 *
 * The paths the benchmarks request belong to the middle resource, so neither a table's
 * first nor its last entries are measured.
 */
final class RouteTable {
    static final List<String> FIXED = List.of("/", "/health", "/api/v1/users/profile", "/assets/{*path}");

    private RouteTable() {}

    static List<String> patterns(int size) {
        if (size < FIXED.size() + 2) {
            throw new IllegalArgumentException("a table needs at least " + (FIXED.size() + 2) + " routes");
        }
        List<String> patterns = new ArrayList<>(FIXED);
        for (int i = 0; patterns.size() < size; i++) {
            int resource = i / 4;
            String base = "/api/v1/resource" + resource;
            patterns.add(switch (i % 4) {
                case 0 -> base + "/{id}/items/{itemId}";
                case 1 -> base + "/profile";
                case 2 -> base + "/{id}";
                default -> base;
            });
        }
        return patterns;
    }

    /** The resource in the middle of a table of {@code size} routes; it has at least its first two routes. */
    static int middleResource(int size) {
        int generated = size - FIXED.size();
        int resources = (generated + 3) / 4;
        return resources / 2;
    }

    static String staticPath(int size) {
        return "/api/v1/resource" + middleResource(size) + "/profile";
    }

    static String dynamicPath(int size) {
        return "/api/v1/resource" + middleResource(size) + "/12345/items/678";
    }

    /** Walks three literal segments and a parameter before it fails, like a typo in a real API path. */
    static String missPath(int size) {
        return "/api/v1/resource" + middleResource(size) + "/12345/comments";
    }
}
