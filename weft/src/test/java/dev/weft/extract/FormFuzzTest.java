package dev.weft.extract;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.FuzzInput;
import dev.weft.http.Method;
import dev.weft.http.Request;

/** Input: a form body. Corpus: {@code src/test/resources/dev/weft/extract/FormFuzzTestInputs/}. */
class FormFuzzTest {

    @FuzzTest
    void a_form_body_is_read_or_rejected_as_malformed(byte[] data) throws Exception {
        Request request = Request.builder(Method.POST, "/")
                .header("content-type", "application/x-www-form-urlencoded").body(data).build();
        try {
            Form.map().extract(request);
            for (byte b : data) {
                assertThat(b).as("a raw non-ASCII byte is malformed").isNotNegative();
            }
        } catch (RejectedException e) {
            assertThat(e.rejection()).isInstanceOf(Rejection.MalformedForm.class);
        }
    }
}
