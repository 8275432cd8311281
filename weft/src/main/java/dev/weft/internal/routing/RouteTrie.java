package dev.weft.internal.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The route matcher: a tree with one level per path segment. Precedence at each segment is
 * literal, then {@code {param}}, then {@code {*catchAll}}, independent of registration order,
 * with backtracking when a more specific branch dead-ends further down.
 *
 * <p>Cost is proportional to the number of segments in the request path, not to the number of
 * routes. Patterns without parameters are also kept in a hash map keyed by their text, so a
 * static route is found with one lookup and no allocation.
 *
 * <p>Built on one thread, then only read (safely published through the router's final field).
 *
 * @param <V> what a path leads to (the methods registered on it)
 */
public final class RouteTrie<V> {

    /**
     * A successful match: the value and the raw parameter values in path order. Matches of
     * static routes are shared; callers must not change {@code params}.
     */
    public record Match<V>(V value, String[] params) {}

    private static final String[] NO_PARAMS = new String[0];

    private final Node<V> root = new Node<>();
    /** Static patterns by text, with their (immutable, shared) match result. */
    private final Map<String, Match<V>> exact = new HashMap<>();
    private int maxParams;

    private static final class Node<V> {
        final SegmentTable<Node<V>> literals = new SegmentTable<>();
        Node<V> param;
        Node<V> catchAll;
        V value;
    }

    /** The value at {@code pattern}'s position, created with {@code factory} if the position is empty. */
    public V getOrCreate(PathPattern pattern, Supplier<V> factory) {
        Node<V> node = root;
        for (PathPattern.Segment segment : pattern.segments()) {
            node = switch (segment) {
                case PathPattern.Literal l -> {
                    Node<V> child = node.literals.get(l.text());
                    if (child == null) {
                        child = new Node<>();
                        node.literals.put(l.text(), child);
                    }
                    yield child;
                }
                case PathPattern.Param p -> node.param == null ? (node.param = new Node<>()) : node.param;
                case PathPattern.CatchAll c -> node.catchAll == null ? (node.catchAll = new Node<>()) : node.catchAll;
            };
        }
        if (node.value == null) {
            node.value = factory.get();
            if (pattern.isStatic()) {
                exact.put(pattern.text(), new Match<>(node.value, NO_PARAMS));
            }
            maxParams = Math.max(maxParams, pattern.paramNames().size());
        }
        return node.value;
    }

    /** Finds the value for a raw request path, or {@code null}. */
    public Match<V> match(String path) {
        Match<V> hit = exact.get(path);
        if (hit != null) {
            return hit; // shared: a static match allocates nothing
        }
        if (path.isEmpty() || path.charAt(0) != '/' || maxParams == 0) {
            return null;
        }
        int[] bounds = new int[maxParams * 2];
        Node<V> found = walk(root, path, 1, 0, bounds);
        if (found == null) {
            return null;
        }
        int count = 0;
        while (count < maxParams && bounds[count * 2 + 1] > 0) {
            count++;
        }
        String[] params = new String[count];
        for (int i = 0; i < params.length; i++) {
            params[i] = path.substring(bounds[i * 2], bounds[i * 2 + 1]);
        }
        return new Match<>(found.value, params);
    }

    /** Matches the segment starting at {@code pos}; {@code k} is the number of params captured so far. */
    private Node<V> walk(Node<V> node, String path, int pos, int k, int[] bounds) {
        int end = path.indexOf('/', pos);
        boolean last = end < 0;
        if (last) {
            end = path.length();
        }
        Node<V> literal = node.literals.get(path, pos, end);
        if (literal != null) {
            Node<V> hit = last ? (literal.value != null ? literal : null) : walk(literal, path, end + 1, k, bounds);
            if (hit != null) {
                return hit;
            }
        }
        if (node.param != null && end > pos) {
            bounds[k * 2] = pos;
            bounds[k * 2 + 1] = end;
            Node<V> hit = last ? (node.param.value != null ? node.param : null)
                    : walk(node.param, path, end + 1, k + 1, bounds);
            if (hit != null) {
                return hit;
            }
            bounds[k * 2 + 1] = 0;
        }
        if (node.catchAll != null && pos < path.length()) {
            bounds[k * 2] = pos;
            bounds[k * 2 + 1] = path.length();
            return node.catchAll;
        }
        return null;
    }

    /** Visits every stored value. */
    public void forEach(java.util.function.Consumer<V> action) {
        visit(root, action);
    }

    private void visit(Node<V> node, java.util.function.Consumer<V> action) {
        if (node.value != null) {
            action.accept(node.value);
        }
        node.literals.forEach((k, child) -> visit(child, action));
        if (node.param != null) {
            visit(node.param, action);
        }
        if (node.catchAll != null) {
            visit(node.catchAll, action);
        }
    }
}
