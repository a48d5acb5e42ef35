package dev.spa.ingest;

import dev.spa.testkit.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest's token check against a real OpenID Connect provider: Keycloak with the realm of
 * src/test/resources/keycloak (a CI client of tenant team-k with the realm roles submit and read and the
 * audience spa; a billing client whose tokens are not meant for spa), tokens got by the client-credentials grant.
 */
class KeycloakTokensTest {
    private static final String REALM = "spa";
    private static KeycloakServer keycloak;
    private static OidcVerifier verifier;

    @BeforeAll
    static void startKeycloak() throws Exception {
        Assumptions.assumeTrue(KeycloakServer.distribution().isPresent(), "skipped: no Keycloak distribution (deploy/servers unpacks it: mvn -B -DskipTests package)");
        Assumptions.assumeTrue(KeycloakServer.javaHome().isPresent(), "skipped: Keycloak needs Java 21+ (none under /usr/lib/jvm; set KEYCLOAK_JAVA_HOME)");
        keycloak = KeycloakServer.start(Files.createTempDirectory("spa-keycloak"), Path.of("src/test/resources/keycloak/spa-realm.json"), REALM);
        verifier = new OidcVerifier(keycloak.issuer(REALM), "spa", "tenant", "realm_access.roles");
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void aClientCredentialsTokenIsACallerOfItsTenantWithItsRealmRoles() throws Exception {
        String token = keycloak.clientToken(REALM, "team-k-ci", "team-k-ci-secret-for-the-check");
        assertEquals(new ApiCaller("team-k", Set.of("submit", "read")), verifier.verify(token));
    }

    @Test
    void aTokenForAnotherServiceIsRefusedForItsAudience() {
        String token = keycloak.clientToken(REALM, "billing-service", "billing-secret-for-the-check");
        OidcVerifier.Refused e = assertThrows(OidcVerifier.Refused.class, () -> verifier.verify(token));
        assertTrue(e.getMessage().contains("audience"), e.getMessage());
    }

    @Test
    void aTokenWhoseClaimsWereEditedDoesNotVerify() {
        String[] parts = keycloak.clientToken(REALM, "team-k-ci", "team-k-ci-secret-for-the-check").split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"team-k\"", "\"team-a\"");
        String edited = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        OidcVerifier.Refused e = assertThrows(OidcVerifier.Refused.class, () -> verifier.verify(edited));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }
}
