package dev.weft.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.weft.extract.PathParam;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.internal.http.ServerRequest;
import dev.weft.json.JsonCodec;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import dev.weft.response.Status;
import dev.weft.routing.Handler;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterHooksTest {
    private static final Router APP = Router.builder()
            .get("/inline", Handler.of(() -> "inline").nonBlocking())
            .get("/n/{i}", Handler.of(PathParam.of("i", Integer.class), i -> "n" + i).nonBlocking())
            .get("/slow/{i}", PathParam.of("i", Integer.class), i -> "s" + i)
            .build();

    private static ServerRequest request(Method method, String target) {
        return (ServerRequest) Request.builder(method, target).build();
    }

    private static boolean nonBlocking(Method method, String target) {
        return RouterHooks.isNonBlocking(APP, request(method, target));
    }

    @Test
    void the_server_learns_which_routes_are_non_blocking() {
        assertThat(nonBlocking(Method.GET, "/inline")).isTrue();
        assertThat(nonBlocking(Method.HEAD, "/inline")).isTrue();
        assertThat(nonBlocking(Method.GET, "/n/3")).isTrue();
        assertThat(nonBlocking(Method.GET, "/slow/3")).isFalse();
        assertThat(nonBlocking(Method.GET, "/nowhere")).isFalse();
        assertThat(nonBlocking(Method.DELETE, "/inline")).isFalse();
        assertThat(nonBlocking(Method.GET, "*")).isFalse();
    }

    private static String text(Response response) {
        return response.body() instanceof ResponseBody.Bytes bytes
                ? new String(bytes.bytes(), StandardCharsets.UTF_8) : String.valueOf(response.body());
    }

    @Test
    void routing_after_the_question_uses_its_match_once() {
        for (String target : List.of("/n/3", "/slow/4", "/nowhere", "/inline?x=1")) {
            ServerRequest asked = request(Method.GET, target);
            RouterHooks.isNonBlocking(APP, asked);
            Response routed = APP.handle(asked);
            Response fresh = APP.handle(request(Method.GET, target));
            assertThat(routed.status()).as(target).isEqualTo(fresh.status());
            assertThat(text(routed)).as(target).isEqualTo(text(fresh));
            assertThat(asked.takePreMatch()).as("taken by the router").isNull();
        }
        ServerRequest delete = request(Method.DELETE, "/n/3");
        RouterHooks.isNonBlocking(APP, delete);
        assertThat(APP.handle(delete).status()).isEqualTo(Status.METHOD_NOT_ALLOWED);
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
