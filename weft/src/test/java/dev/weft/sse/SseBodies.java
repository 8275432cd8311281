package dev.weft.sse;

import dev.weft.json.JsonCodec;
import dev.weft.response.BodyOutput;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Runs a finite event stream into memory, for the unit tests of this package. */
final class SseBodies {
    private SseBodies() {}

    /** The whole body of the event stream {@code response}, which must end by itself. */
    static String text(Response response) throws IOException {
        var bytes = new ByteArrayOutputStream();
        BodyOutput out = new BodyOutput(JsonCodec.jackson()) {
            @Override
            public void write(byte[] b, int offset, int length) {
                bytes.write(b, offset, length);
            }
        };
        ((ResponseBody.Streaming) response.body()).writer().writeTo(out);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
