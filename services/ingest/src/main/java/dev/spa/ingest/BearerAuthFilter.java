package dev.spa.ingest;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;
import java.util.Optional;

/**
 * Every REST call (POST /models, GET /jobs) carries {@code Authorization: Bearer <token>}: none or an
 * unknown one is 401, a token without the role the call needs (submit to upload, read to look) 403.
 * Health and metrics (/q/...) are not REST resources and stay open to the probes.
 */
@Provider
public class BearerAuthFilter implements ContainerRequestFilter {
    @Inject
    ApiTokens tokens;

    @Inject
    CurrentCaller current;

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString("Authorization");
        Optional<ApiCaller> caller = header != null && header.startsWith("Bearer ")
                ? tokens.caller(header.substring("Bearer ".length()).strip()) : Optional.empty();
        if (caller.isEmpty()) {
            request.abortWith(Response.status(401).header("WWW-Authenticate", "Bearer realm=\"spa\"").type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", header == null ? "no bearer token: send Authorization: Bearer <token>" : "unknown token")).build());
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
}
