package dev.weft.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.weft.auth.Auth;
import dev.weft.routing.Router;
import dev.weft.test.Client;
import dev.weft.test.InMemoryClient;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The examples in the Javadoc of {@link JwtAuth} and in docs/auth.md. */
class JwtExamples {

    static Router app(URI jwksUri, JwtAuth[] built) {
        // @start region=jwks
        JwtAuth jwt = JwtAuth.builder()
                .issuer("https://issuer.test")
                .audience("todo-api")
                .algorithms("RS256", "ES256")          // required: the token never picks its algorithm
                .jwksUri(jwksUri)                      // fetched in the background, kept through outages
                .build();                              // close() it when the app stops
        Router app = Router.builder()
                .routeLayer(jwt)
                .get("/todos", Auth.requireRole("todos:read"), user -> "todos of " + user.name())
                .build();
        // @end
        built[0] = jwt;
        return app;
    }

    @Test
    void jwks_example() {
        RSAKey key = Tokens.rsa("k1");
        JwtAuth[] jwt = new JwtAuth[1];
        try (JwksServer jwks = new JwksServer(key.toPublicJWK());
                Client client = InMemoryClient.of(app(jwks.uri(), jwt))) {
            assertThat(client.request(dev.weft.http.Method.GET, "/todos")
                    .header("authorization", "Bearer " + Tokens.signed(key)).send().body()).isEqualTo("todos of ada");
        } finally {
            jwt[0].close();
        }
    }
}
