package dev.weft.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.weft.extract.PathParam;
import dev.weft.http.Method;
import dev.weft.json.JsonCodec;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import org.junit.jupiter.api.Test;

class RouterHooksTest {
    private static final Router APP = Router.builder()
            .get("/inline", Handler.of(() -> "inline").nonBlocking())
            .get("/n/{i}", Handler.of(PathParam.of("i", Integer.class), i -> "n" + i).nonBlocking())
            .get("/slow/{i}", PathParam.of("i", Integer.class), i -> "s" + i)
            .build();

    @Test
    void the_server_learns_which_routes_are_non_blocking() {
        assertThat(RouterHooks.isNonBlocking(APP, Method.GET, "/inline")).isTrue();
        assertThat(RouterHooks.isNonBlocking(APP, Method.GET, "/n/3")).isTrue();
        assertThat(RouterHooks.isNonBlocking(APP, Method.GET, "/slow/3")).isFalse();
        assertThat(RouterHooks.isNonBlocking(APP, Method.GET, "/nowhere")).isFalse();
        assertThat(RouterHooks.isNonBlocking(APP, Method.DELETE, "/inline")).isFalse();
    }

    @Test
    void the_server_learns_the_router_codec() {
        JsonCodec mine = new JsonCodec() {
            @Override
            public byte[] write(Object value) {
                return new byte[0];
            }

            @Override
            public <T> T read(byte[] json, java.lang.reflect.Type type) {
                return null;
            }
        };
        assertThat(RouterHooks.jsonCodec(APP)).isSameAs(JsonCodec.jackson());
        assertThat(RouterHooks.jsonCodec(Router.builder().jsonCodec(mine).build())).isSameAs(mine);
    }

    @Test
    void the_hooks_are_installed_once() {
        assertThatIllegalStateException().isThrownBy(() -> RouterHooks.install(null));
    }
}
