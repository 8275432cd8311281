package dev.weft.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Request;
import dev.weft.middleware.Middleware;
import dev.weft.middleware.Next;
import dev.weft.middleware.RequestId;
import dev.weft.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayersTest {

    @Test
    void unwrap_takes_off_every_rename_and_nothing_else() {
        RequestId id = RequestId.create();
        Middleware deep = id;
        for (int i = 0; i < 1_000; i++) {
            deep = Middleware.named("n" + i, deep);
        }
        assertThat(Layers.unwrap(deep)).isSameAs(id);
        assertThat(Layers.unwrap(id)).isSameAs(id);
        assertThat(Layers.kind(deep)).isEqualTo(Middleware.Kind.REQUEST_ID);
        assertThat(deep.kind()).isEqualTo(Middleware.Kind.REQUEST_ID);
        assertThat(deep.name()).isEqualTo("n999");
    }

    @Test
    void an_application_wrapper_is_not_seen_through_even_if_it_claims_the_kind() {
        RequestId id = RequestId.create();
        Middleware mine = new Middleware() {
            @Override
            public Response handle(Request request, Next next) throws Exception {
                return id.handle(request, next);
            }

            @Override
            public Kind kind() {
                return id.kind();
            }
        };
        assertThat(Layers.unwrap(mine)).isSameAs(mine);
        assertThat(Layers.kind(mine)).isEqualTo(Middleware.Kind.REQUEST_ID);
    }

    @Test
    void a_stack_is_unwrapped_in_order() {
        RequestId a = RequestId.create();
        Middleware b = (request, next) -> next.run(request);
        assertThat(Layers.unwrap(List.of(Middleware.named("x", a), b, Middleware.named("y", Middleware.named("z", b)))))
                .containsExactly(a, b, b);
    }
}
