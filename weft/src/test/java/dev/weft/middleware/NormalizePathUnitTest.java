package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftException;
import org.junit.jupiter.api.Test;

/** {@link NormalizePath}'s path helpers and its builder. */
class NormalizePathUnitTest {

    @Test
    void runs_of_slashes_collapse_and_encoded_slashes_do_not() {
        assertThat(NormalizePath.collapse("//a///b//")).isEqualTo("/a/b/");
        assertThat(NormalizePath.collapse("/a%2F%2Fb")).isEqualTo("/a%2F%2Fb");
        assertThat(NormalizePath.collapse("/a/b")).isEqualTo("/a/b");
    }

    @Test
    void only_a_path_that_cannot_name_another_host_is_safe() {
        assertThat(NormalizePath.safe("/")).isTrue();
        assertThat(NormalizePath.safe("/evil.com")).isTrue();
        assertThat(NormalizePath.safe("//evil.com")).isFalse();
        assertThat(NormalizePath.safe("/\\evil.com")).isFalse();
        assertThat(NormalizePath.safe("evil.com")).isFalse();
    }

    @Test
    void a_layer_that_would_do_nothing_is_refused() {
        assertThatThrownBy(() -> NormalizePath.builder().trailingSlash(false).collapseSlashes(false).build())
                .isInstanceOf(WeftException.class).hasMessageContaining("would change nothing");
        assertThat(NormalizePath.redirect().kind()).isEqualTo(Middleware.Kind.PATH_REWRITE);
        assertThat(NormalizePath.rewrite().name()).isEqualTo("NormalizePath");
    }
}
