package dev.weft.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;

/** Test tokens: RS256 by default, with claims a test can bend one at a time. */
final class Tokens {
    static final String ISSUER = "https://issuer.test";
    static final String AUDIENCE = "todo-api";

    private Tokens() {}

    static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("ada")
                .claim("scope", "todos:read todos:write")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
    }

    static String signed(RSAKey key) {
        return signed(key, c -> c);
    }

    static String signed(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> bend) {
        return sign(signer(key), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), bend.apply(claims()).build());
    }

    private static JWSSigner signer(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String signed(RSAKey key, JWSHeader header) {
        return sign(signer(key), header, claims().build());
    }

    /** The algorithm-confusion attack: HS256 with the RSA public key's bytes as the secret. */
    static String hs256WithPublicKey(RSAKey key) {
        try {
            return sign(new MACSigner(key.toRSAPublicKey().getEncoded()),
                    new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), claims().build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsigned() {
        return new PlainJWT(claims().build()).serialize();
    }

    private static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
