package dev.weft.files;

import dev.weft.json.JsonCodec;
import dev.weft.response.BodyOutput;
import dev.weft.response.Response;
import dev.weft.response.ResponseBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads what a static-file response would send, in memory. */
final class Bodies {
    private Bodies() {}

    static byte[] bytes(Response response) throws IOException {
        return switch (response.body()) {
            case ResponseBody.Bytes b -> b.bytes();
            case ResponseBody.Empty e -> new byte[0];
            case ResponseBody.Streaming s -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                s.writer().writeTo(new BodyOutput(JsonCodec.jackson()) {
                    @Override
                    public void write(byte[] bytes, int offset, int length) {
                        out.write(bytes, offset, length);
                    }
                });
                byte[] all = out.toByteArray();
                if (s.length() >= 0 && all.length != s.length()) {
                    throw new AssertionError("declared " + s.length() + " bytes, wrote " + all.length);
                }
                yield all;
            }
            default -> throw new AssertionError("unexpected body " + response.body());
        };
    }

    static String body(Response response) throws IOException {
        return new String(bytes(response), StandardCharsets.UTF_8);
    }
}
