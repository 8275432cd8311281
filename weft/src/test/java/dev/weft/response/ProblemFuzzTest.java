package dev.weft.response;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.FuzzInput;
import java.nio.ByteBuffer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Input: text used as the detail and as an extension's name and value; its first 8 bytes are also
 * a {@code double} extension. Corpus: {@code src/test/resources/dev/weft/response/ProblemFuzzTestInputs/}.
 */
class ProblemFuzzTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @FuzzTest
    void any_detail_and_extension_make_json_that_reads_back(byte[] data) {
        double number = data.length >= 8 ? ByteBuffer.wrap(data).getDouble() : 0;
        for (String text : FuzzInput.texts(data)) {
            Problem problem = Problem.of(Status.BAD_REQUEST, text).with("x" + text, text).with("n", number);
            JsonNode json = JSON.readTree(problem.toJson());
            assertThat(json.get("detail").asString()).isEqualTo(text);
            assertThat(json.get("x" + text).asString()).isEqualTo(text);
            assertThat(json.get("status").asInt()).isEqualTo(400);
            JSON.readTree(((ResponseBody.Bytes) problem.toResponse().body()).bytes());
        }
    }
}
