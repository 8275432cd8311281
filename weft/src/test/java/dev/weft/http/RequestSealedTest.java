package dev.weft.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link Request} is sealed (issue #8): a middleware cannot hand {@code next.run} a wrapper that
 * routing, path parameters, state and the codec would not see; the compiler refuses it.
 */
class RequestSealedTest {

    @Test
    void only_weft_makes_requests() {
        assertThat(Request.class.isSealed()).isTrue();
        assertThat(Arrays.stream(Request.class.getPermittedSubclasses()).map(Class::getName))
                .containsExactly("dev.weft.internal.http.ServerRequest");
    }

    @Test
    void a_built_request_is_one_of_them() {
        assertThat(Request.builder(Method.GET, "/").build().getClass().getName())
                .isEqualTo("dev.weft.internal.http.ServerRequest");
    }
}
