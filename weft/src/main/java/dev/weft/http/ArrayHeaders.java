package dev.weft.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/** Headers held as parallel arrays; names are stored lower-cased. Immutable once built. */
final class ArrayHeaders implements Headers {
    static final ArrayHeaders EMPTY = new ArrayHeaders(new String[0], new String[0], 0);

    private final String[] names;
    private final String[] values;
    private final int size;

    private ArrayHeaders(String[] names, String[] values, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
    }

    @Override
    public Optional<String> first(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return Optional.of(values[i]);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean contains(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<String> all(String name) {
        List<String> found = new ArrayList<>(1);
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                found.add(values[i]);
            }
        }
        return List.copyOf(found);
    }

    @Override
    public Set<String> names() {
        Set<String> result = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            result.add(names[i]);
        }
        return Set.copyOf(result);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Headers[");
        for (int i = 0; i < size; i++) {
            // Credentials never reach a log through toString().
            out.append(i == 0 ? "" : ", ").append(names[i]).append(": ")
                    .append(dev.weft.internal.http.Redaction.shown(names[i], values[i]));
        }
        return out.append(']').toString();
    }

    static final class ArrayBuilder implements Headers.Builder {
        private String[] names = new String[8];
        private String[] values = new String[8];
        private int size;

        @Override
        public Builder add(String name, String value) {
            Tokens.checkName(name);
            Tokens.checkValue(name, value);
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            names[size] = name.toLowerCase(Locale.ROOT);
            values[size] = value;
            size++;
            return this;
        }

        @Override
        public Builder set(String name, String value) {
            remove(name);
            return add(name, value);
        }

        @Override
        public Builder remove(String name) {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (!names[i].equalsIgnoreCase(name)) {
                    names[kept] = names[i];
                    values[kept] = values[i];
                    kept++;
                }
            }
            Arrays.fill(names, kept, size, null);
            Arrays.fill(values, kept, size, null);
            size = kept;
            return this;
        }

        @Override
        public Builder addAll(Headers headers) {
            if (headers instanceof ArrayHeaders built) {
                // Checked and lower-cased when they were added: copied as they are.
                if (size + built.size > names.length) {
                    names = Arrays.copyOf(names, Math.max(names.length * 2, size + built.size));
                    values = Arrays.copyOf(values, names.length);
                }
                System.arraycopy(built.names, 0, names, size, built.size);
                System.arraycopy(built.values, 0, values, size, built.size);
                size += built.size;
                return this;
            }
            headers.forEach(this::add);
            return this;
        }

        @Override
        public Headers build() {
            return size == 0 ? EMPTY : new ArrayHeaders(Arrays.copyOf(names, size), Arrays.copyOf(values, size), size);
        }
    }
}
