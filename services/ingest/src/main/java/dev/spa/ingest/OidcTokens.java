package dev.spa.ingest;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * The REST API's tokens from an OpenID Connect provider, when {@code spa.auth.oidc.issuer} (SPA_OIDC_ISSUER) names
 * one: the audience they must carry ({@code spa.auth.oidc.audience}, default {@code spa}), the claim naming the
 * caller's tenant ({@code tenant-claim}, default {@code tenant}) and the one listing its roles
 * ({@code roles-claim}, default {@code groups}; {@code realm_access.roles} for Keycloak's realm roles).
 */
@ApplicationScoped
public class OidcTokens {
    @ConfigProperty(name = "spa.auth.oidc.issuer")
    Optional<String> issuer;

    @ConfigProperty(name = "spa.auth.oidc.audience", defaultValue = "spa")
    String audience;

    @ConfigProperty(name = "spa.auth.oidc.tenant-claim", defaultValue = "tenant")
    String tenantClaim;

    @ConfigProperty(name = "spa.auth.oidc.roles-claim", defaultValue = "groups")
    String rolesClaim;

    private OidcVerifier verifier;

    void onStart(@Observes StartupEvent event) {
        issuer.filter(i -> !i.isBlank()).ifPresent(i -> verifier = new OidcVerifier(i, audience, tenantClaim, rolesClaim));
    }

    public boolean enabled() {
        return verifier != null;
    }

    /** Whether a presented token is a JWT (three dot-separated parts), which static tokens never are. */
    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    ApiCaller caller(String token) throws OidcVerifier.Refused, OidcVerifier.ProviderUnavailable {
        return verifier.verify(token);
    }
}
