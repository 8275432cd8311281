package dev.weft.internal.netty;

import dev.weft.http.Headers;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/** A read-only {@link Headers} view over decoded Netty headers; no copy is made. */
final class NettyHeaders implements Headers {
    private final HttpHeaders headers;

    NettyHeaders(HttpHeaders headers) {
        this.headers = headers;
    }

    @Override
    public Optional<String> first(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    @Override
    public List<String> all(String name) {
        return List.copyOf(headers.getAll(name));
    }

    @Override
    public boolean contains(String name) {
        return headers.contains(name);
    }

    @Override
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (String name : headers.names()) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(names);
    }

    @Override
    public int size() {
        return headers.size();
    }

    @Override
    public void forEach(BiConsumer<String, String> action) {
        Iterator<Map.Entry<String, String>> it = headers.iteratorAsString();
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            action.accept(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
    }

    @Override
    public String toString() {
        // Credentials never reach a log through toString().
        StringBuilder out = new StringBuilder("Headers[");
        boolean first = true;
        for (var entry : headers) {
            out.append(first ? "" : ", ").append(entry.getKey()).append(": ")
                    .append(dev.weft.internal.http.Redaction.shown(entry.getKey(), entry.getValue()));
            first = false;
        }
        return out.append(']').toString();
    }
}
