package dev.spa.platform;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No service starts with a missing or placeholder object-store secret. */
class SecretsTest {
    @Test
    void missingShortAndPlaceholderSecretsAreRefused() {
        for (String bad : new String[] {null, "", "   ", "change-me", "change-me-please", "CHANGEME-now-please", "short",
                "spa-dev-secret-not-for-production", "minioadmin"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> StoreSetup.requireRealSecret(bad), String.valueOf(bad));
            assertTrue(e.getMessage().contains("SPA_S3_SECRET_KEY"), e.getMessage());
        }
    }

    @Test
    void aRealSecretIsTaken() {
        assertDoesNotThrow(() -> StoreSetup.requireRealSecret("9f2c6e0b41d7a3f85e6c1b2d"));
    }
}
