package dev.weft.routing;

import dev.weft.http.Method;
import dev.weft.internal.routing.PathPattern;
import dev.weft.middleware.Next;
import java.util.List;
import java.util.Map;

/** One compiled route: everything needed to serve it, fixed at build time. */
record Endpoint(
        Method method,
        PathPattern pattern,
        String[] paramNames,
        Map<Class<?>, Object> states,
        long bodyLimit,
        Next chain,
        List<String> middleware,
        boolean nonBlocking) {}
