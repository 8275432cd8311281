package dev.weft.auth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who an authentication layer found behind a request: a name, the roles (or OAuth scopes) it
 * holds, and whatever else the verifier wants handlers to see.
 *
 * <p>Handlers get it with {@link Auth#principal()}; an application's own user type is one
 * {@code map} away: {@code Auth.principal().map(p -> users.find(p.name()))}.
 *
 * @param name the user name, key owner or token subject
 * @param roles the roles or scopes, checked by {@link Auth#requireRole(String...)}
 * @param attributes anything else the verifier knows (a JWT's claims, a tenant id)
 */
public record Principal(String name, Set<String> roles, Map<String, Object> attributes) {

    public Principal {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(new LinkedHashSet<>(roles));
        attributes = Map.copyOf(attributes);
    }

    /** A principal holding {@code roles} and no attributes. */
    public static Principal of(String name, String... roles) {
        return new Principal(name, Set.copyOf(Arrays.asList(roles)), Map.of());
    }

    /** Whether this principal holds {@code role}. */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Attribute {@code name}, if present and of {@code type}. */
    public <T> Optional<T> attribute(String name, Class<T> type) {
        Object value = attributes.get(name);
        return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
    }
}
