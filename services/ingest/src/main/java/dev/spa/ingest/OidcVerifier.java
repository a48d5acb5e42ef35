package dev.spa.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks access tokens issued by an OpenID Connect provider (Keycloak, Entra ID, Okta, Dex...): a signed JWT
 * whose key is in the provider's JWKS (found through its discovery document, refetched when a new key id
 * appears), issued by the configured issuer for the configured audience, not expired; the caller's tenant and
 * roles come from two claims. Only asymmetric signatures are accepted, and only over HTTPS (or the loopback).
 */
final class OidcVerifier {
    private static final Set<String> ROLES = Set.of(ApiCaller.SUBMIT, ApiCaller.READ, ApiCaller.ADMIN);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String issuer;
    private final String audience;
    private final String tenantClaim;
    private final String rolesClaim;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private volatile JwtConsumer consumer;

    /** A refusal the caller is told about: the token is not one this service accepts (401). */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason);
        }
    }

    /** The provider could not be asked for its keys: nobody's fault the caller can fix (503, retry). */
    static final class ProviderUnavailable extends Exception {
        ProviderUnavailable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    OidcVerifier(String issuer, String audience, String tenantClaim, String rolesClaim) {
        this.issuer = issuer.replaceAll("/$", "");
        this.audience = audience;
        this.tenantClaim = tenantClaim;
        this.rolesClaim = rolesClaim;
        requireSecure(URI.create(this.issuer), "spa.auth.oidc.issuer");
    }

    /** Keys and tokens travel in the clear over plain HTTP: only the loopback (a provider on the same host) may use it. */
    private static void requireSecure(URI uri, String what) {
        boolean loopback = "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()) || "[::1]".equals(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw new IllegalArgumentException(what + " must be an https address (plain http only on the loopback): " + uri);
        }
    }

    ApiCaller verify(String token) throws Refused, ProviderUnavailable {
        JwtClaims claims;
        try {
            claims = consumer().processToClaims(token);
        } catch (InvalidJwtException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IOException io) {
                    throw new ProviderUnavailable("cannot fetch the identity provider's keys: " + io.getMessage(), io);
                }
            }
            throw new Refused(reason(e));
        }
        Object tenant = claims.getClaimValue(tenantClaim);
        if (!(tenant instanceof String name) || name.isBlank()) {
            throw new Refused("the token has no '" + tenantClaim + "' claim naming the caller's tenant");
        }
        return new ApiCaller(name, roles(claims));
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "the token has expired";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
            return "the token is not from the identity provider this service trusts";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "the token is not meant for this service (audience)";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)
                || e.getCause() instanceof UnresolvableKeyException) {
            return "the token's signature does not verify with the identity provider's keys";
        }
        return "the token is not a valid signed JWT";
    }

    /** The roles this service knows among the values of the roles claim ({@code a.b} reads claim b inside claim a). */
    private Set<String> roles(JwtClaims claims) {
        Object value = claims.getClaimsMap();
        for (String part : rolesClaim.split("\\.")) {
            value = value instanceof Map<?, ?> map ? map.get(part) : null;
        }
        Set<String> roles = new HashSet<>();
        if (value instanceof Collection<?> values) {
            values.stream().filter(v -> v instanceof String s && ROLES.contains(s)).forEach(v -> roles.add((String) v));
        } else if (value instanceof String single) {
            roles.addAll(Set.of(single.split(" ")));
            roles.retainAll(ROLES);
        }
        return roles;
    }

    /** Built on first use, so ingest starts (and static tokens work) while the provider is still coming up. */
    private JwtConsumer consumer() throws ProviderUnavailable {
        JwtConsumer built = consumer;
        if (built == null) {
            HttpsJwks jwks = new HttpsJwks(jwksUri());
            built = new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setAllowedClockSkewInSeconds(30)
                    .setExpectedIssuer(issuer)
                    .setExpectedAudience(audience)
                    .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256,
                            AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
                            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384)
                    .build();
            consumer = built;
        }
        return built;
    }

    /** The provider's key set address, from its discovery document ({@code <issuer>/.well-known/openid-configuration}). */
    private String jwksUri() throws ProviderUnavailable {
        URI discovery = URI.create(issuer + "/.well-known/openid-configuration");
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new ProviderUnavailable("the identity provider answered " + r.statusCode() + " for " + discovery, null);
            }
            JsonNode document = new ObjectMapper().readTree(r.body());
            if (!issuer.equals(document.path("issuer").asText().replaceAll("/$", ""))) {
                throw new ProviderUnavailable("the discovery document at " + discovery + " names another issuer: " + document.path("issuer").asText(), null);
            }
            String jwks = document.path("jwks_uri").asText();
            requireSecure(URI.create(jwks), "the provider's jwks_uri");
            return jwks;
        } catch (IOException | IllegalArgumentException e) {
            throw new ProviderUnavailable("cannot read the identity provider's discovery document " + discovery + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailable("interrupted while asking the identity provider", e);
        }
    }
}
