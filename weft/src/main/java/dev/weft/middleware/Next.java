package dev.weft.middleware;

import dev.weft.http.Request;
import dev.weft.response.Response;

/**
 * The rest of the chain after a middleware: the inner middleware, then the router or handler.
 * Pass the same request on (it carries the route match and extensions).
 */
@FunctionalInterface
public interface Next {
    Response run(Request request) throws Exception;
}
