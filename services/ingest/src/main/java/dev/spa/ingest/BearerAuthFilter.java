package dev.spa.ingest;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Optional;

/**
 * Every REST call (POST /models, GET /jobs) carries {@code Authorization: Bearer <token>}, a static token
 * ({@link ApiTokens}) or a JWT from the OpenID Connect provider ({@link OidcTokens}): none, an unknown or an
 * invalid one is 401 with the reason (503 while the provider cannot be reached); a token without the role
 * the call needs (submit to upload, read to look) is 403.
 * Health and metrics (/q/...) are not REST resources and stay open to the probes.
 */
@Provider
public class BearerAuthFilter implements ContainerRequestFilter {
    private static final Logger LOG = Logger.getLogger(BearerAuthFilter.class);

    @Inject
    ApiTokens tokens;

    @Inject
    OidcTokens oidc;

    @Inject
    CurrentCaller current;

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            request.abortWith(unauthorized("no bearer token: send Authorization: Bearer <token>"));
            return;
        }
        String token = header.substring("Bearer ".length()).strip();
        Optional<ApiCaller> caller;
        try {
            caller = oidc.enabled() && OidcTokens.looksLikeJwt(token) ? Optional.of(oidc.caller(token)) : tokens.caller(token);
        } catch (OidcVerifier.Refused e) {
            request.abortWith(unauthorized(e.getMessage()));
            return;
        } catch (OidcVerifier.ProviderUnavailable e) {
            LOG.warnf("cannot check a token: %s", e.getMessage());
            request.abortWith(Response.status(503).header("Retry-After", "10").type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "the identity provider cannot be reached to check the token; try again shortly")).build());
            return;
        }
        if (caller.isEmpty()) {
            request.abortWith(unauthorized("unknown token"));
            return;
        }
        String role = request.getMethod().equals("GET") ? ApiCaller.READ : ApiCaller.SUBMIT;
        if (!caller.get().may(role)) {
            request.abortWith(Response.status(403).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "this token may not " + (role.equals(ApiCaller.READ) ? "read jobs" : "submit models"))).build());
            return;
        }
        current.set(caller.get());
    }

    private static Response unauthorized(String reason) {
        return Response.status(401).header("WWW-Authenticate", "Bearer realm=\"spa\"").type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", reason)).build();
    }
}
