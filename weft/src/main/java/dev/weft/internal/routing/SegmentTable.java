package dev.weft.internal.routing;

/**
 * An open-addressing map from a path segment to a value, looked up by a region of the request
 * path so that matching allocates nothing. Built once; read concurrently afterwards.
 */
final class SegmentTable<V> {
    private String[] keys = new String[4];
    private Object[] values = new Object[4];
    private int size;

    @SuppressWarnings("unchecked")
    V get(String path, int start, int end) {
        int length = end - start;
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + path.charAt(i);
        }
        int mask = keys.length - 1;
        for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
            String key = keys[i];
            if (key == null) {
                return null;
            }
            if (key.length() == length && key.hashCode() == hash && path.regionMatches(start, key, 0, length)) {
                return (V) values[i];
            }
        }
    }

    @SuppressWarnings("unchecked")
    V get(String key) {
        return get(key, 0, key.length());
    }

    void put(String key, V value) {
        if ((size + 1) * 2 > keys.length) {
            resize();
        }
        int mask = keys.length - 1;
        for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == null) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            if (keys[i].equals(key)) {
                values[i] = value;
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    void forEach(java.util.function.BiConsumer<String, V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                action.accept(keys[i], (V) values[i]);
            }
        }
    }

    private void resize() {
        String[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                @SuppressWarnings("unchecked")
                V v = (V) oldValues[i];
                put(oldKeys[i], v);
            }
        }
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
