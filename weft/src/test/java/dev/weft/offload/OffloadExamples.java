package dev.weft.offload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.extract.Body;
import dev.weft.http.Method;
import dev.weft.http.Request;
import dev.weft.routing.Router;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link Offload} and {@link Bulkhead}, and docs/offload.md. */
class OffloadExamples {

    /** Stands for a password hash (bcrypt, argon2): CPU-bound for tens of milliseconds. */
    static String slowHash(String password) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] digest = password.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 10_000; i++) {
            digest = sha.digest(digest);
        }
        return HexFormat.of().formatHex(digest);
    }

    static Router hashing(Offload offload) {
        // @start region=hash
        // One pool for the app: as many platform threads as cores, 4 queued tasks per thread.
        // When it is full the request is answered 503 + retry-after; nothing to map.
        Router app = Router.builder()
                .post("/hash", Body.string(), password -> offload.run(() -> slowHash(password)))
                .build();
        // @end
        return app;
    }

    static Router payments(PaymentApi api) {
        // @start region=bulkhead
        // At most 4 calls to the payment API at once; a caller waits up to 200 ms for a turn,
        // then gets 503 naming "payments".
        Bulkhead payments = Bulkhead.builder()
                .name("payments")
                .maxConcurrent(4)
                .maxWait(Duration.ofMillis(200))
                .build();
        return Router.builder()
                .post("/charge", Body.string(), order -> payments.call(() -> api.charge(order)))
                .build();
        // @end
    }

    interface PaymentApi {
        String charge(String order) throws Exception;
    }

    @Test
    void hashing_runs_on_the_pool() throws Exception {
        try (Offload offload = Offload.ofCores()) {
            var response = hashing(offload).handle(Request.builder(Method.POST, "/hash")
                    .header("content-type", "text/plain").body("secret".getBytes(StandardCharsets.UTF_8)).build());
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(offload.completed()).isEqualTo(1);
        }
    }

    @Test
    void payments_are_called_through_the_bulkhead() {
        var response = payments(order -> "charged " + order).handle(Request.builder(Method.POST, "/charge")
                .header("content-type", "text/plain").body("o1".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(response.status().code()).isEqualTo(200);
    }
}
