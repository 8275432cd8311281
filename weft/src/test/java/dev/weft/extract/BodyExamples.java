package dev.weft.extract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.response.Response;
import dev.weft.response.Status;
import dev.weft.routing.Router;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Body}. */
class BodyExamples {
    @Test
    void bytes() {
        // @start region=bytes
        Map<String, byte[]> blobs = new ConcurrentHashMap<>();
        Router router = Router.builder()
                .put("/blobs/{key}", PathParam.string("key"), Body.bytes(), (key, bytes) -> {
                    blobs.put(key, bytes);
                    return Response.noContent();
                })
                .build();
        // @end
        Request put = Request.builder(Method.PUT, "/blobs/logo").body(new byte[] {1, 2, 3}).build();
        assertThat(router.handle(put).status()).isEqualTo(Status.NO_CONTENT);
        assertThat(blobs).containsKey("logo");
        assertThat(blobs.get("logo")).containsExactly(1, 2, 3);
        Request gzipped = Request.builder(Method.PUT, "/blobs/logo")
                .header("content-encoding", "gzip").body(new byte[] {1}).build();
        assertThat(router.handle(gzipped).status()).isEqualTo(Status.UNSUPPORTED_MEDIA_TYPE);
    }
}
