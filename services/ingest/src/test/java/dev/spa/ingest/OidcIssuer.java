package dev.spa.ingest;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An OpenID Connect provider's token side for the tests, on a real HTTP port: the discovery document and the
 * JWKS a provider publishes, and RS256 access tokens it signs. Ingest finds the keys as it would at
 * Keycloak's or Entra ID's address; what the tests vary is the token (expiry, issuer, audience, key, claims).
 */
public class OidcIssuer implements QuarkusTestResourceLifecycleManager {
    static volatile OidcIssuer running;

    private HttpServer server;
    private RsaJsonWebKey key;
    private String url;

    @Override
    public Map<String, String> start() {
        try {
            key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("test-key-1");
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            url = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/spa";
            String jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            serve("/realms/spa/.well-known/openid-configuration", "{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/protocol/openid-connect/certs\"}");
            serve("/realms/spa/protocol/openid-connect/certs", jwks);
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
        running = this;
        return Map.of("spa.auth.oidc.issuer", url);
    }

    private void serve(String path, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    String url() {
        return url;
    }

    /** Claims as the provider would issue them: this issuer, audience spa, the tenant and roles, valid five minutes. */
    JwtClaims claims(String tenant, List<String> roles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(url);
        claims.setAudience("spa");
        claims.setSubject("user-of-" + tenant);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        claims.setClaim("tenant", tenant);
        claims.setStringListClaim("groups", roles);
        return claims;
    }

    String sign(JwtClaims claims) {
        return sign(claims, key);
    }

    /** Signed with a key of the tests' own making, not the provider's: a forgery. */
    String signWithAnotherKey(JwtClaims claims) throws JoseException {
        RsaJsonWebKey other = RsaJwkGenerator.generateJwk(2048);
        other.setKeyId("test-key-1");
        return sign(claims, other);
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey with) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(with.getPrivateKey());
        jws.setKeyIdHeaderValue(with.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
