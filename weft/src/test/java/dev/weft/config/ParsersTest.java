package dev.weft.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.server.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParsersTest {
    static Stream<Arguments> bad() {
        return Stream.of(
                bad("integer 1..1000", Parsers.integer(1, 1000), "0", "1001", "-1", "1e3", "0x10", "1_000", "1.5", "ten",
                        "99999999999999999999", "9223372036854775808", "+", "", " "),
                bad("integer", Parsers.integer(), "2147483648", "-2147483649"),
                bad("port", Parsers.port(), "0", "65536", "-80", "80x", "http"),
                bad("portOrZero", Parsers.portOrZero(), "-1", "65536"),
                bad("duration", Parsers.duration(), "5", "-5s", "5 seconds", "5sec", "5S", "1.5s", "s", "ms5",
                        "PT-5S", "-PT5S", "P", "PT", "PTS", "9999999999999999999d", "999999999999999999d",
                        "P999999999999999999D", "5s5", "5s ms", "1h30m"),
                bad("positiveDuration", Parsers.positiveDuration(), "0", "0s", "PT0S"),
                bad("bounded duration", Parsers.duration(Duration.ofSeconds(1), Duration.ofMinutes(1)), "999ms", "61s", "2m"),
                bad("bool", Parsers.bool(), "yes", "no", "1", "0", "on", "off", "y", "tru", "t", "enabled", "truee"),
                bad("uri", Parsers.uri("postgres"), "db:5432", "http://db/app", "postgres:db", "postgres:///app",
                        "//db/app", "postgres://db app", "not a url", "/relative"),
                bad("enum", Parsers.enumOf(Transport.class), "kqueue", "epol", "io uring", "nio2"),
                bad("list of ports", Parsers.list(Parsers.port()), "80,,443", "80,", ",80", "80,http", "0,1,2,3,4"),
                bad("string 3..5", Parsers.string(3, 5), "ab", "abcdef"));
    }

    private static Arguments bad(String name, ValueParser<?> parser, String... inputs) {
        return Arguments.of(Named.of(name, parser), List.of(inputs));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void every_bad_input_is_refused_with_a_reason(ValueParser<?> parser, List<String> inputs) {
        for (String input : inputs) {
            assertThatThrownBy(() -> parser.parse(input)).as("input '%s'", input)
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
        }
    }

    @Test
    void good_inputs_parse() {
        assertThat(Parsers.integer(1, 1000).parse(" 42 ")).isEqualTo(42);
        assertThat(Parsers.integer().parse("-2147483648")).isEqualTo(Integer.MIN_VALUE);
        assertThat(Parsers.port().parse("65535")).isEqualTo(65535);
        assertThat(Parsers.portOrZero().parse("0")).isZero();
        assertThat(Parsers.duration().parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Parsers.duration().parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Parsers.duration().parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Parsers.duration().parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Parsers.duration().parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Parsers.duration().parse("PT5S")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Parsers.duration().parse("pt1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Parsers.duration().parse("0")).isZero();
        assertThat(Parsers.bool().parse("TRUE")).isTrue();
        assertThat(Parsers.bool().parse("False")).isFalse();
        assertThat(Parsers.uri("postgres").parse("POSTGRES://u:p@db:5432/app")).isEqualTo(URI.create("POSTGRES://u:p@db:5432/app"));
        assertThat(Parsers.enumOf(Transport.class).parse("Io-Uring")).isEqualTo(Transport.IO_URING);
        assertThat(Parsers.list(Parsers.port()).parse(" 80 , 443")).containsExactly(80, 443);
        assertThat(Parsers.string(3, 5).parse("ab😀")).isEqualTo("ab😀");
        assertThat(Parsers.secret().parse("s").reveal()).isEqualTo("s");
    }

    @Test
    void refusals_say_what_to_write_instead() {
        assertThatThrownBy(() -> Parsers.bool().parse("yes")).hasMessage("write true, not 'yes'");
        assertThatThrownBy(() -> Parsers.bool().parse("0")).hasMessage("write false, not '0'");
        assertThatThrownBy(() -> Parsers.duration().parse("30")).hasMessage("no unit: write 30s or 30ms");
        assertThatThrownBy(() -> Parsers.uri("postgres").parse("mysql://db")).hasMessage("scheme mysql is not allowed");
        assertThatThrownBy(() -> Parsers.list(Parsers.port()).parse("80,,x")).hasMessage("item 2 is empty; item 3: not an integer");
        assertThat(Parsers.enumOf(Transport.class).expected()).isEqualTo("one of auto, io_uring, epoll, nio");
        assertThat(Parsers.uri("https", "http").expected()).isEqualTo("URL http:// or https://host...");
    }

    @Test
    void a_sensitive_parser_never_repeats_the_value_in_its_reason() {
        assertThatThrownBy(() -> Parsers.sensitive(Parsers.bool()).parse("hunter2"))
                .hasMessage("invalid");
        assertThat(Parsers.sensitive(Parsers.bool()).secret()).isTrue();
        assertThat(Parsers.list(Parsers.secret()).secret()).isTrue();
    }

    @Test
    void a_secret_hides_its_value_but_compares_by_it() {
        Secret s = Secret.of("hunter2");
        assertThat(s.toString()).isEqualTo("****");
        assertThat(String.valueOf(List.of(s))).doesNotContain("hunter2");
        assertThat(s).isEqualTo(Secret.of("hunter2")).isNotEqualTo(Secret.of("hunter3"));
        assertThat(s.hashCode()).isEqualTo(Secret.of("other").hashCode());
    }

    @Test
    void a_secret_is_written_as_its_mask_in_json() {
        assertThat(new String(dev.weft.json.JsonCodec.jacksonLenient().write(Secret.of("x")), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("\"****\"");
        var creds = new java.util.LinkedHashMap<String, Object>();
        creds.put("user", "app");
        creds.put("password", Secret.of("hunter2"));
        String json = new String(dev.weft.internal.json.JacksonCodec.DEFAULT.write(creds),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"user\":\"app\",\"password\":\"****\"}");
    }
}
