package dev.weft.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptEncodingTest {
    private static final List<String> OFFERED = List.of("zstd", "br", "gzip");

    private static List<String> accept(String... headers) {
        return AcceptEncoding.acceptable(List.of(headers), OFFERED);
    }

    @Test
    void equal_weights_keep_the_server_order() {
        assertThat(accept("gzip, deflate, br, zstd")).containsExactly("zstd", "br", "gzip");
    }

    @Test
    void q_values_order_the_codings() {
        assertThat(accept("gzip;q=1.0, br;q=0.5, zstd;q=0.1")).containsExactly("gzip", "br", "zstd");
        assertThat(accept("br;q=0.8", "gzip")).containsExactly("gzip", "br");
    }

    @Test
    void q_zero_refuses_even_under_a_star() {
        assertThat(accept("*, br;q=0")).containsExactly("zstd", "gzip");
        assertThat(accept("*;q=0")).isEmpty();
        assertThat(accept("br;q=0.000")).isEmpty();
    }

    @Test
    void x_gzip_is_gzip_and_case_does_not_matter() {
        assertThat(accept("X-GZIP")).containsExactly("gzip");
        assertThat(accept("BR;Q=0.5")).containsExactly("br");
    }

    @Test
    void malformed_q_values_drop_the_element() {
        assertThat(accept("br;q=2", "gzip;q=0.5000", "zstd;q=abc", "br;q=1.5")).isEmpty();
        assertThat(accept("gzip;q=0.\u0661")).isEmpty();
        assertThat(accept("identity", "", ",,,")).isEmpty();
    }
}
