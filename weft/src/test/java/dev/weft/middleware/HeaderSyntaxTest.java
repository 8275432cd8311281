package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Headers;
import dev.weft.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The list parsing and the Vary merge the layers share. */
class HeaderSyntaxTest {

    @Test
    void vary_is_appended_once_whatever_the_case_and_star_is_left_alone() {
        Response plain = Response.text("x");
        assertThat(HeaderSyntax.appendVary(plain, List.of("origin")).headers().all("vary")).containsExactly("origin");

        Response own = Response.text("x").withHeader("vary", "Accept-Encoding,ORIGIN").withAddedHeader("vary", "cookie");
        assertThat(HeaderSyntax.appendVary(own, List.of("origin", "access-control-request-method")).headers().all("vary"))
                .containsExactly("Accept-Encoding, ORIGIN, cookie, access-control-request-method");

        Response star = Response.text("x").withHeader("vary", "*");
        assertThat(HeaderSyntax.appendVary(star, List.of("origin"))).isSameAs(star);

        Response already = Response.text("x").withHeader("vary", "origin");
        assertThat(HeaderSyntax.appendVary(already, List.of("Origin"))).isSameAs(already);
    }

    @Test
    void list_elements_are_split_trimmed_lower_cased_and_empty_ones_dropped() {
        Headers headers = Headers.of("x-list", " A , ,b\t", "x-list", "", "x-list", "C,,");
        assertThat(HeaderSyntax.lowerCaseElements(headers, "x-list")).containsExactly("a", "b", "c");
    }
}
