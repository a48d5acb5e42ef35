package dev.spa.ingest;

import dev.spa.testkit.ServerProcess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the verifier refuses before any token: an insecure provider address, and a provider that cannot be reached. */
class OidcVerifierTest {
    @Test
    void aProviderOverPlainHttpOffTheLoopbackIsRefusedAtStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OidcVerifier("http://idp.example.com/realms/spa", "spa", "tenant", "groups"));
        assertTrue(e.getMessage().contains("https"), e.getMessage());
    }

    @Test
    void aProviderThatCannotBeReachedIsUnavailableNotAnInvalidToken() {
        int closed = ServerProcess.freePort();
        OidcVerifier verifier = new OidcVerifier("http://127.0.0.1:" + closed + "/realms/spa", "spa", "tenant", "groups");
        OidcVerifier.ProviderUnavailable e = assertThrows(OidcVerifier.ProviderUnavailable.class, () -> verifier.verify("a.b.c"));
        assertTrue(e.getMessage().contains("discovery document"), e.getMessage());
    }
}
