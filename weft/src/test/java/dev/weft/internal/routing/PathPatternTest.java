package dev.weft.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.routing.InvalidRouteException;
import org.junit.jupiter.api.Test;

class PathPatternTest {
    @Test
    void legacy_colon_syntax_points_to_braces() {
        assertThatThrownBy(() -> PathPattern.parse("/users/:id"))
                .isInstanceOf(InvalidRouteException.class)
                .hasMessageContaining("write '{id}'");
    }

    @Test
    void parameters_are_listed_in_order() {
        assertThat(PathPattern.parse("/a/{x}/b/{*rest}").paramNames()).containsExactly("x", "rest");
    }
}
