package dev.weft.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.compress.Coding;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptEncodingTest {
    private static final List<Coding> ALL = List.of(Coding.ZSTD, Coding.BR, Coding.GZIP);

    private static String choose(String header, List<Coding> offered) {
        AcceptEncoding.Choice choice = AcceptEncoding.choose(header == null ? List.of() : List.of(header), offered);
        return switch (choice) {
            case AcceptEncoding.Encode(Coding coding) -> coding.token();
            case AcceptEncoding.Plain plain -> plain == AcceptEncoding.Plain.IDENTITY ? "identity" : "406";
        };
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL                          | identity",
        "''                            | identity",
        "'  ,  , '                     | identity",
        "gzip                          | gzip",
        "GZIP                          | gzip",
        "x-gzip                        | gzip",
        "gzip, deflate, br             | br",
        "gzip, deflate, br, zstd       | zstd",
        "zstd;q=0.5, gzip              | gzip",
        "br;q=0, gzip                  | gzip",
        "br;q=0                        | identity",
        "br;q=0.0                      | identity",
        "br;q=0., gzip;q=1.            | gzip",
        "*                             | zstd",
        "*;q=0.5, br                   | br",
        "*, zstd;q=0                   | br",
        "*, zstd;q=0, br;q=0           | gzip",
        "identity;q=0                  | 406",
        "identity;q=0, gzip            | gzip",
        "*;q=0                         | 406",
        "*;q=0, identity               | identity",
        "*;q=0, identity;q=0.1         | identity",
        "identity;q=1, gzip;q=0.5      | identity",
        "identity;q=0.5, gzip;q=0.5    | gzip",
        "identity;q=0, compress        | 406",
        "compress, sdch                | identity",
        "'  gzip  ;  q=0.8 ,  br ; q=0.9 ' | br",
        "BR;Q=0.9, GZIP;Q=0.8          | br",
        "gzip;q=0.001, br;q=0.002      | br",
        "br;q=abc, gzip                | gzip",
        "br;q=2, gzip;q=0.1            | gzip",
        "br;q=1.5                      | identity",
        "br;q=1.000, gzip              | br",
        "br;q=1.0001, gzip;q=0.1       | gzip",
        "br;q=0.0001, gzip;q=0.1       | gzip",
        "br;q=-1, gzip;q=0.1           | gzip",
        "br;q=, gzip;q=0.1             | gzip",
        "br;q=.5, gzip;q=0.1           | gzip",
        "br;level=1;q=0.9, gzip;q=0.8  | br",
        "gzip;q=0, gzip                | identity",
        "identity;q=0;q=abc, gzip;q=0  | identity",
        ";q=0.5, gzip                  | gzip",
    })
    void chooses(String header, String expected) {
        assertThat(choose(header, ALL)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}] offering gzip only -> {1}")
    @CsvSource(delimiter = '|', value = {
        "br                    | identity",
        "br, identity;q=0      | 406",
        "br, *;q=0.1           | gzip",
        "zstd, br, gzip        | gzip",
    })
    void only_offered_codings_are_chosen(String header, String expected) {
        assertThat(choose(header, List.of(Coding.GZIP))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "ties follow the server''s order [{0}]")
    @CsvSource(delimiter = '|', value = {
        "gzip, br, zstd | gzip",
        "*              | gzip",
    })
    void ties_follow_the_servers_order(String header, String expected) {
        assertThat(choose(header, List.of(Coding.GZIP, Coding.BR, Coding.ZSTD))).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void several_header_lines_are_one_list() {
        assertThat(AcceptEncoding.choose(List.of("gzip;q=0.5", "br"), ALL))
                .isEqualTo(new AcceptEncoding.Encode(Coding.BR));
    }
}
