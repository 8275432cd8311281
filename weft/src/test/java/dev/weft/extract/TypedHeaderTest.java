package dev.weft.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.extract.TypedHeader.Accept;
import dev.weft.extract.TypedHeader.Basic;
import dev.weft.extract.TypedHeader.Bearer;
import dev.weft.extract.TypedHeader.Bounded;
import dev.weft.extract.TypedHeader.EntityTag;
import dev.weft.extract.TypedHeader.From;
import dev.weft.extract.TypedHeader.IfNoneMatch;
import dev.weft.extract.TypedHeader.MediaType;
import dev.weft.extract.TypedHeader.Other;
import dev.weft.extract.TypedHeader.Span;
import dev.weft.extract.TypedHeader.Suffix;
import dev.weft.http.Method;
import dev.weft.http.Request;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TypedHeaderTest {

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- authorization

    @Test
    void basic_credentials_are_decoded_as_utf8_and_split_at_the_first_colon() {
        assertThat(HeaderValues.parseAuthorization("Basic " + b64("ada:pa:ss wörd")))
                .isEqualTo(new Basic("ada", "pa:ss wörd"));
        assertThat(HeaderValues.parseAuthorization("basic  " + b64("ada:"))).isEqualTo(new Basic("ada", ""));
        assertThat(HeaderValues.parseAuthorization("BASIC " + b64(":s3cret")).toString()).doesNotContain("s3cret");
    }

    @Test
    void malformed_basic_credentials_are_refused() {
        byte[] latin1 = "ad\u00e9:x".getBytes(StandardCharsets.ISO_8859_1);
        for (String bad : List.of("Basic", "Basic ", "Basic !!!!", "Basic " + b64("no colon"),
                "Basic " + Base64.getEncoder().encodeToString(latin1),          // not UTF-8
                "Basic " + b64("ada:\u0000x"), "Basic " + b64("a\r\nb:c"),   // control characters
                "Basic " + b64("ada:x") + " extra", "Basic a===b")) {
            assertThatThrownBy(() -> HeaderValues.parseAuthorization(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void bearer_tokens_follow_token68() {
        assertThat(HeaderValues.parseAuthorization("Bearer abc-._~+/XYZ09==")).isEqualTo(new Bearer("abc-._~+/XYZ09=="));
        assertThat(HeaderValues.parseAuthorization("bearer t").toString()).isEqualTo("Bearer[<redacted>]");
        for (String bad : List.of("Bearer", "Bearer ", "Bearer a b", "Bearer a=b", "Bearer ==", "Bearer a,b",
                "Bearer \"quoted\"", "Bearer tök")) {
            assertThatThrownBy(() -> HeaderValues.parseAuthorization(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void other_schemes_are_kept_raw_and_bad_schemes_refused() {
        assertThat(HeaderValues.parseAuthorization("Digest username=\"ada\", realm=\"x\""))
                .isEqualTo(new Other("Digest", "username=\"ada\", realm=\"x\""));
        assertThat(HeaderValues.parseAuthorization("Negotiate")).isEqualTo(new Other("Negotiate", ""));
        for (String bad : List.of("", "  ", "Bé x", "(x) y", "Scheme a\u0001b")) {
            assertThatThrownBy(() -> HeaderValues.parseAuthorization(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_huge_authorization_header_is_rejected_with_400_naming_it() {
        Request request = Request.builder(Method.GET, "/")
                .header("authorization", "Bearer " + "a".repeat(100_000)).build();
        assertThatThrownBy(() -> TypedHeader.authorization().extract(request))
                .isInstanceOfSatisfying(RejectedException.class, e -> {
                    assertThat(e.rejection()).isInstanceOf(Rejection.InvalidHeader.class);
                    assertThat(e.rejection().status().code()).isEqualTo(400);
                    assertThat(((Rejection.InvalidHeader) e.rejection()).name()).isEqualTo("authorization");
                });
    }

    @Test
    void a_repeated_singleton_header_is_rejected_not_guessed() {
        Request request = Request.builder(Method.GET, "/").header("authorization", "Bearer a")
                .header("authorization", "Bearer b").build();
        assertThatThrownBy(() -> TypedHeader.authorization().extract(request))
                .isInstanceOfSatisfying(RejectedException.class,
                        e -> assertThat(e.rejection().detail()).contains("authorization").contains("once"));
        assertThatThrownBy(() -> TypedHeader.contentType().extract(Request.builder(Method.GET, "/")
                .header("content-type", "text/plain").header("content-type", "text/html").build()))
                .isInstanceOf(RejectedException.class);
    }

    @Test
    void missing_required_headers_are_rejected_with_400_naming_the_header_and_optional_ones_are_empty()
            throws Exception {
        Request bare = Request.builder(Method.GET, "/").build();
        for (Extractor<?> required : List.of(TypedHeader.authorization(), TypedHeader.accept(),
                TypedHeader.ifNoneMatch(), TypedHeader.range(), TypedHeader.contentType())) {
            assertThatThrownBy(() -> required.extract(bare)).isInstanceOfSatisfying(RejectedException.class,
                    e -> assertThat(e.rejection()).isInstanceOf(Rejection.MissingHeader.class));
        }
        for (Extractor<? extends Optional<?>> optional : List.of(TypedHeader.optionalAuthorization(),
                TypedHeader.optionalAccept(), TypedHeader.optionalIfNoneMatch(), TypedHeader.optionalRange(),
                TypedHeader.optionalContentType())) {
            assertThat(optional.extract(bare)).isEmpty();
        }
    }

    // ---------------------------------------------------------------- accept

    @Test
    void accept_sorts_by_q_then_specificity_then_order_sent() {
        Accept accept = HeaderValues.parseAccept("text/*;q=0.5, */*;q=0.1, text/html;level=1, text/html, application/json");
        assertThat(accept.ranges()).extracting(r -> r.range().essence() + r.range().parameters() + r.q())
                .containsExactly("text/html{level=1}1.0", "text/html{}1.0", "application/json{}1.0", "text/*{}0.5",
                        "*/*{}0.1");
        assertThat(accept.accepts("text/plain")).isTrue();
        assertThat(accept.preferred("image/png", "text/csv")).contains("text/csv");
    }

    @Test
    void a_zero_q_refuses_a_type_even_under_a_wildcard() {
        Accept accept = HeaderValues.parseAccept("*/*, application/xml;q=0");
        assertThat(accept.accepts("application/xml")).isFalse();
        assertThat(accept.accepts("application/json")).isTrue();
        assertThat(accept.preferred("application/xml")).isEmpty();
    }

    @Test
    void malformed_accept_headers_are_refused() {
        for (String bad : List.of("", " , ,", "text", "text/", "/html", "*/html", "text/html;q=2", "text/html;q=0.1234",
                "text/html;q=abc", "text/html;q=-1", "text/html;=x", "text/h tml", "text/html;a=\"unterminated",
                "text/html;a=\"x\"y", "a/b, " + "c/d, ".repeat(64))) {
            assertThatThrownBy(() -> HeaderValues.parseAccept(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void accept_on_several_lines_is_combined() throws Exception {
        Request request = Request.builder(Method.GET, "/").header("accept", "text/html;q=0.2")
                .header("accept", "application/json").build();
        assertThat(TypedHeader.accept().extract(request).ranges()).extracting(r -> r.range().essence())
                .containsExactly("application/json", "text/html");
    }

    // ---------------------------------------------------------------- if-none-match

    @Test
    void if_none_match_parses_star_and_weak_and_strong_tags() {
        assertThat(HeaderValues.parseIfNoneMatch(" * ").any()).isTrue();
        IfNoneMatch tags = HeaderValues.parseIfNoneMatch("\"a\", W/\"b\" ,\"\", \"c,d\"");
        assertThat(tags.tags()).containsExactly(new EntityTag("a", false), new EntityTag("b", true),
                new EntityTag("", false), new EntityTag("c,d", false));
        assertThat(tags.matches("W/\"a\"")).isTrue(); // weak comparison
        assertThat(tags.matches("\"b\"")).isTrue();
        assertThat(tags.matches("\"z\"")).isFalse();
        assertThat(tags.matches("garbage")).isFalse();
    }

    @Test
    void malformed_if_none_match_headers_are_refused() {
        for (String bad : List.of("a", "\"a", "w/\"a\"", "\"a\" \"b\"", "\"a\"b\"", "*, \"a\"", "\"a b\"",
                "\"a\u0001\"", ",", "\"x\"," .repeat(65))) {
            assertThatThrownBy(() -> HeaderValues.parseIfNoneMatch(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ---------------------------------------------------------------- range

    @Test
    void byte_ranges_parse_bounded_open_and_suffix_forms() {
        TypedHeader.Range range = HeaderValues.parseRange("bytes=0-99, 200- , -50");
        assertThat(range.ranges()).containsExactly(new Bounded(0, 99), new From(200), new Suffix(50));
        assertThat(range.within(150)).containsExactly(new Span(0, 99), new Span(100, 149));
        assertThat(range.within(1000)).containsExactly(new Span(0, 99), new Span(200, 999), new Span(950, 999));
        assertThat(HeaderValues.parseRange("bytes=500-").within(100)).isEmpty(); // 416
        assertThat(HeaderValues.parseRange("bytes=-0").within(100)).isEmpty();
        assertThat(HeaderValues.parseRange("Bytes=0-0").within(0)).isEmpty();
    }

    @Test
    void malformed_ranges_are_refused_by_the_parser() {
        for (String bad : List.of("", "bytes", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-1", "bytes=1-2-3",
                "bytes=99999999999999999999-", "bytes=--5", "bytes=+1-2", "items=0-1", "bytes=0-1;x",
                "bytes=" + "0-1,".repeat(17))) {
            assertThatThrownBy(() -> HeaderValues.parseRange(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void an_invalid_range_is_ignored_by_the_optional_extractor_and_rejected_by_the_required_one() throws Exception {
        for (String bad : List.of("items=0-1", "bytes=9-1", "bytes=" + "0-1,".repeat(100))) {
            Request request = Request.builder(Method.GET, "/").header("range", bad).build();
            assertThat(TypedHeader.optionalRange().extract(request)).as(bad).isEmpty();
            assertThatThrownBy(() -> TypedHeader.range().extract(request)).isInstanceOf(RejectedException.class);
        }
        Request twice = Request.builder(Method.GET, "/").header("range", "bytes=0-1").header("range", "bytes=2-3").build();
        assertThat(TypedHeader.optionalRange().extract(twice)).isEmpty();
    }

    // ---------------------------------------------------------------- content-type

    @Test
    void content_type_parses_parameters_and_charset() {
        MediaType type = HeaderValues.parseMediaType("Text/HTML; Charset=\"UTF-8\" ; boundary=\"a\\\"b\";");
        assertThat(type.essence()).isEqualTo("text/html");
        assertThat(type.parameters()).isEqualTo(Map.of("charset", "UTF-8", "boundary", "a\"b"));
        assertThat(type.charset()).contains("utf-8");
        assertThat(HeaderValues.parseMediaType("application/json").charset()).isEmpty();
    }

    @Test
    void malformed_content_types_are_refused() {
        for (String bad : List.of("", "json", "*/*", "text/*", "text/html;charset", "text/html; a b=c",
                "text/html;charset=\"utf-8", "tëxt/html", "text/html;x=a;" + "y=b;".repeat(65))) {
            assertThatThrownBy(() -> HeaderValues.parseMediaType(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
