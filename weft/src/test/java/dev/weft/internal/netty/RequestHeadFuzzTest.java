package dev.weft.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.FuzzInput;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.List;

/**
 * The request-head checks of both protocols on arbitrary header lists: each answers with an
 * outcome (accepted, refused, malformed), never an exception, and what it accepts is sane.
 * Corpus: {@code src/test/resources/dev/weft/internal/netty/RequestHeadFuzzTestInputs/}.
 */
class RequestHeadFuzzTest {

    /** The bytes as lines; each line is {@code name:value} (a line without a colon is a name with an empty value). */
    private static String[][] fields(byte[] data) {
        List<String> lines = FuzzInput.wire(data).lines().limit(200).toList();
        String[][] fields = new String[lines.size()][];
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':', 1); // a leading colon belongs to a pseudo-header's name
            fields[i] = colon < 0 ? new String[] {line, ""} : new String[] {line.substring(0, colon), line.substring(colon + 1)};
        }
        return fields;
    }

    @FuzzTest
    void an_http_1_head_is_accepted_or_refused_never_thrown(byte[] data) {
        String[][] fields = fields(data);
        String target = fields.length > 0 ? fields[0][1] : "/";
        HttpVersion version = data.length > 0 && (data[0] & 1) == 0 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        HttpRequest request;
        try {
            request = new DefaultHttpRequest(version, HttpMethod.POST, target,
                    DefaultHttpHeadersFactory.headersFactory().withValidation(false));
        } catch (IllegalArgumentException refusedByNetty) {
            return; // a target Netty will not hold: its decoder answers such a line as invalid (400)
        }
        for (int i = 1; i < fields.length; i++) {
            request.headers().add(fields[i][0], fields[i][1]);
        }

        Http1RequestHead head = Http1RequestHead.check(request, 50);

        if (head.refusal() == null) {
            assertThat(head.target()).isNotNull();
            assertThat(head.version()).isIn(HttpVersion.HTTP_1_0, HttpVersion.HTTP_1_1);
            assertThat(head.declared().orElse(0)).isNotNegative();
            assertThat(request.headers().size()).isLessThanOrEqualTo(50);
        } else {
            assertThat(head.refusal().status().code()).isBetween(400, 505);
            assertThat(head.refusal().detail()).isNotBlank();
        }
    }

    @FuzzTest
    void an_http_2_header_list_is_accepted_refused_or_malformed_never_thrown(byte[] data) {
        Http2Headers headers = new DefaultHttp2Headers(false);
        for (String[] field : fields(data)) {
            headers.add(field[0], field[1]);
        }

        Http2RequestHead.Outcome outcome = Http2RequestHead.from(headers, 50);

        switch (outcome) {
            case Http2RequestHead.Accepted accepted -> {
                assertThat(accepted.method()).isNotNull();
                assertThat(accepted.target()).matches("(?s)/.*|\\*");
                assertThat(accepted.declared().orElse(0)).isNotNegative();
            }
            case Http2RequestHead.Refused refused -> assertThat(refused.status().code()).isBetween(400, 505);
            case Http2RequestHead.Malformed malformed -> assertThat(malformed.reason()).isNotBlank();
        }
    }
}
