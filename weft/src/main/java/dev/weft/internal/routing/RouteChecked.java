package dev.weft.internal.routing;

import dev.weft.middleware.Middleware;
import java.util.List;

/**
 * A layer that checks, when a router is built, the routes it wraps: {@code CrossOriginProtection}
 * (its exemptions must name routes it really wraps, its token mode needs a session layer outside
 * it) and {@code Sessions}, which holds one. The router starts one {@link Check} per layer per
 * build, so a layer shared by several routers keeps no state from one build to the next.
 */
public interface RouteChecked {

    /** A fresh check for one build. */
    Check startCheck();

    /** The routes of one build, then the verdict. Confined to the building thread. */
    interface Check {
        /**
         * One route this layer wraps: its method, full pattern, and its whole stack (outermost
         * first, the router's own {@code layer}s included), every layer {@linkplain Layers#unwrap
         * unwrapped}, so this layer finds itself and the others by identity and type even when
         * they were renamed. The router starts the check of a renamed layer too.
         */
        void route(String method, String pattern, List<Middleware> stack);

        /** What is wrong, one sentence each naming the layer and the fix; empty if nothing. */
        List<String> problems();
    }
}
