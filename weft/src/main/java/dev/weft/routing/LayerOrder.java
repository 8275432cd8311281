package dev.weft.routing;

import dev.weft.internal.routing.Layers;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Middleware.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order checks of {@link Middleware.Kind}, collected while a router is compiled and reported
 * together. A problem found on many routes is reported once, naming the first few. Kinds are read
 * through {@link Layers#kind} (renames seen through); names are the route table's.
 */
final class LayerOrder {
    /** Layers a CORS layer must wrap: their refusals need CORS headers, and a preflight must not meet them. */
    private static final Set<Kind> CORS_OUTSIDE = EnumSet.of(Kind.AUTHENTICATION, Kind.CSRF, Kind.RATE_LIMIT,
            Kind.CONCURRENCY_LIMIT);
    private static final int ROUTES_NAMED = 3;

    /** Problem text → the routes it was found on, in order. */
    private final Map<String, List<String>> found = new LinkedHashMap<>();

    /** Checks the layers a router installs with {@code layer}; {@code root} if it is the outermost router. */
    void routerLayers(List<Middleware> layers, String mount, boolean root) {
        for (Middleware layer : layers) {
            if (Layers.kind(layer) == Kind.AUTHENTICATION) {
                add("authentication layer '" + layer.name() + "' is installed with layer(...) on the router at '"
                        + mount + "', so it would answer 401 where the answer is 404 or 405; install it with "
                        + "routeLayer(...) instead (or Handler.layer(...) for one route)", null);
            }
            if (Layers.kind(layer) == Kind.PATH_REWRITE && !root) {
                add(rewriteProblem(layer, "layer(...) of the router nested or merged at '" + mount + "'"), null);
            }
        }
    }

    /** Checks layers installed with {@code routeLayer} or {@code Handler.layer}. */
    void routeLayers(List<Middleware> layers, String how) {
        for (Middleware layer : layers) {
            if (Layers.kind(layer) == Kind.PATH_REWRITE) {
                add(rewriteProblem(layer, how), null);
            }
        }
    }

    /** Checks one route's effective stack, outermost first. */
    void stack(List<Middleware> stack, String route) {
        for (int inner = 0; inner < stack.size(); inner++) {
            Middleware cors = stack.get(inner);
            if (Layers.kind(cors) != Kind.CORS) {
                continue;
            }
            for (int outer = 0; outer < inner; outer++) {
                Middleware other = stack.get(outer);
                if (CORS_OUTSIDE.contains(Layers.kind(other))) {
                    add("CORS layer '" + cors.name() + "' sits inside " + describe(Layers.kind(other)) + " layer '"
                            + other.name() + "', so preflights meet it and its refusals carry no CORS headers "
                            + "(browsers show them as CORS errors); install '" + cors.name()
                            + "' with layer(...) on the outermost router, before '" + other.name() + "'", route);
                }
            }
        }
    }

    /** Throws {@link LayerOrderException} listing every problem found, if any. */
    void throwIfAny() {
        if (found.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        found.forEach((problem, routes) -> {
            if (routes.isEmpty()) {
                problems.add(problem);
                return;
            }
            String on = String.join(", ", routes.subList(0, Math.min(ROUTES_NAMED, routes.size())));
            if (routes.size() > ROUTES_NAMED) {
                on += " and " + (routes.size() - ROUTES_NAMED) + " more";
            }
            problems.add(on + ": " + problem);
        });
        throw new LayerOrderException(problems);
    }

    private void add(String problem, String route) {
        List<String> routes = found.computeIfAbsent(problem, p -> new ArrayList<>());
        if (route != null && !routes.contains(route)) {
            routes.add(route);
        }
    }

    private static String rewriteProblem(Middleware layer, String how) {
        return "path rewrite '" + layer.name() + "' is installed with " + how + ", where the path was already "
                + "matched; install it with layer(...) on the outermost router";
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case AUTHENTICATION -> "authentication";
            case CSRF -> "cross-origin protection";
            case RATE_LIMIT -> "rate-limit";
            case CONCURRENCY_LIMIT -> "concurrency-limit";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
