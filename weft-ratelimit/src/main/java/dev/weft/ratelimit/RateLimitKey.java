package dev.weft.ratelimit;

import dev.weft.http.Request;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whose bucket a request draws from: a function from the request to a key. Requests with equal
 * keys share one bucket.
 *
 * <p>When a key yields nothing (no principal, no API key header, no matched route yet) the
 * request is limited by its client address instead, so leaving a header out never escapes the
 * limit. Keys are namespaced by their kind ({@code addr:}, {@code principal:} ...), so an API
 * key can never collide with an address.
 *
 * {@snippet class=dev.weft.ratelimit.RateLimitExamples region=keys}
 *
 * <p><b>Client-chosen keys.</b> An API key header or a principal name taken before
 * authentication is chosen by the client: an attacker can send a fresh value with every request
 * and get a fresh bucket each time. Key by an API key or principal only behind the layer that
 * checks it (a {@code routeLayer} after authentication), and keep a per-address limit in front.
 */
@FunctionalInterface
public interface RateLimitKey {

    /** The key of {@code request}, or empty to fall back to its client address. Runs on the request's virtual thread. */
    Optional<String> of(Request request);

    /**
     * The client's address from {@link Request#client()} (a trusted proxy's
     * {@code X-Forwarded-For} / {@code Forwarded} or PROXY protocol header, else the socket's:
     * never a header from an untrusted peer). IPv4 addresses are keyed whole; IPv6 addresses by
     * their /64 prefix, because one host commonly owns a whole /64 and could otherwise rotate
     * through 2<sup>64</sup> addresses, each with a fresh bucket.
     */
    static RateLimitKey clientAddress() {
        return clientAddress(32, 64);
    }

    /**
     * The client's address masked to {@code ipv4Prefix} / {@code ipv6Prefix} bits (for example
     * 24 and 48 to limit whole networks).
     *
     * @throws IllegalArgumentException if a prefix is out of range (0..32, 0..128)
     */
    static RateLimitKey clientAddress(int ipv4Prefix, int ipv6Prefix) {
        if (ipv4Prefix < 0 || ipv4Prefix > 32 || ipv6Prefix < 0 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("prefixes must be 0..32 (IPv4) and 0..128 (IPv6), got "
                    + ipv4Prefix + " and " + ipv6Prefix);
        }
        return request -> Optional.of(Keys.address(request.client().address(), ipv4Prefix, ipv6Prefix));
    }

    /**
     * The value of header {@code name} (for example {@code x-api-key}). Values longer than 128
     * characters are hashed, so a key costs bounded memory. See the class comment: the client
     * chooses this value.
     */
    static RateLimitKey header(String name) {
        Objects.requireNonNull(name, "name");
        return request -> request.header(name).filter(v -> !v.isBlank()).map(v -> "header:" + name + ":" + v);
    }

    /**
     * The principal that {@code principal} finds on the request, by its {@code toString()}, for
     * example {@code request -> request.extension(User.class).map(User::id)}
     * with the type an authentication layer attached. Use it under that layer.
     */
    static RateLimitKey principal(Function<Request, Optional<?>> principal) {
        Objects.requireNonNull(principal, "principal");
        return request -> principal.apply(request).map(p -> "principal:" + p);
    }

    /**
     * The matched route's pattern ({@code /todos/{id}}), so each route has its own bucket. Known
     * only after routing: use it in a {@code routeLayer} or {@code Handler.layer}; in a root
     * {@code layer} it yields nothing (and the client address is used).
     */
    static RateLimitKey routeTemplate() {
        return request -> request.matchedPath().map(path -> "route:" + request.method() + " " + path);
    }

    /** One bucket for every request: a global limit. */
    static RateLimitKey global() {
        return request -> Optional.of("global");
    }

    /**
     * The keys of all {@code parts} together, for example the route and the client address. A
     * part that yields nothing makes the whole key fall back to the client address.
     */
    static RateLimitKey all(RateLimitKey... parts) {
        List<RateLimitKey> keys = List.of(parts);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("all() needs at least one key");
        }
        return request -> {
            StringBuilder out = new StringBuilder();
            for (RateLimitKey key : keys) {
                Optional<String> part = key.of(request);
                if (part.isEmpty()) {
                    return Optional.empty();
                }
                // Length-prefixed, so ("a|b", "c") and ("a", "b|c") stay different keys.
                out.append(part.get().length()).append(':').append(part.get()).append('|');
            }
            return Optional.of(out.toString());
        };
    }

    /** This key, or {@code other}'s when this one yields nothing. */
    default RateLimitKey orElse(RateLimitKey other) {
        Objects.requireNonNull(other, "other");
        return request -> {
            Optional<String> key = of(request);
            return key.isPresent() ? key : other.of(request);
        };
    }
}
