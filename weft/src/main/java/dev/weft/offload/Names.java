package dev.weft.offload;

import java.util.List;

/** The names of pools and bulkheads: they go into thread names and client-visible problems. */
final class Names {
    private Names() {}

    static void check(List<String> problems, String name) {
        if (name == null || name.isEmpty() || name.length() > 64 || !name.matches("[A-Za-z0-9._-]+")) {
            problems.add("name must be 1 to 64 letters, digits, '.', '_' or '-', got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
    }
}
