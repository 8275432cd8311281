package dev.weft.auth;

import dev.weft.WeftException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A fixed table of users for {@link BasicAuth}, compared in constant time: the presented user and
 * password are hashed (SHA-256) and compared with {@link MessageDigest#isEqual} against every
 * entry, with no early exit on a user-name mismatch, so the time taken says neither whether the
 * user exists nor how much of the password matched.
 *
 * <p>The table keeps only digests. It suits a few service accounts or an admin area; for stored
 * user passwords write a {@link BasicAuth.Verifier} that checks a slow password hash (bcrypt,
 * Argon2), which SHA-256 is not.
 *
 * {@snippet class=dev.weft.auth.AuthExamples region=basic}
 */
public final class UserTable implements BasicAuth.Verifier {
    private record Entry(byte[] user, byte[] password, Principal principal) {}

    private final List<Entry> entries;

    private UserTable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<Principal> verify(String user, String password) {
        byte[] userDigest = Digests.sha256(user);
        byte[] passwordDigest = Digests.sha256(password);
        Principal found = null;
        for (Entry entry : entries) {
            // Both comparisons run for every entry: '&', not '&&', and no break.
            boolean match = MessageDigest.isEqual(userDigest, entry.user())
                    & MessageDigest.isEqual(passwordDigest, entry.password());
            if (match) {
                found = entry.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Collects users; {@link #build()} checks them all at once. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {}

        /** Adds {@code user} with {@code password} holding {@code roles}. */
        public Builder user(String user, String password, String... roles) {
            names.add(user);
            if (user != null && password != null) {
                entries.add(new Entry(Digests.sha256(user), Digests.sha256(password), Principal.of(user, roles)));
            } else {
                entries.add(null);
            }
            return this;
        }

        /**
         * Checks every user.
         *
         * @throws WeftException listing every problem (no user, a user name with a colon, an empty
         *     password, a user given twice)
         */
        public UserTable build() {
            List<String> problems = new ArrayList<>();
            if (names.isEmpty()) {
                problems.add("the table has no user; add one with user(name, password, roles...)");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (entries.get(i) == null) {
                    problems.add("user #" + (i + 1) + ": user name and password must not be null");
                    continue;
                }
                if (name.isEmpty() || name.indexOf(':') >= 0) {
                    problems.add("user '" + name + "': a user name must be non-empty and hold no ':' (RFC 7617)");
                }
                if (MessageDigest.isEqual(entries.get(i).password(), Digests.sha256(""))) {
                    problems.add("user '" + name + "' has an empty password");
                }
                if (!seen.add(name)) {
                    problems.add("user '" + name + "' is given twice");
                }
            }
            if (!problems.isEmpty()) {
                throw new WeftException("invalid UserTable:\n  - " + String.join("\n  - ", problems));
            }
            return new UserTable(entries);
        }
    }
}
