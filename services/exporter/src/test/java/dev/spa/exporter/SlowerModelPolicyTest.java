package dev.spa.exporter;

import dev.spa.events.PruningRequest;
import dev.spa.platform.JobRejected;
import dev.spa.runtime.LatencyComparison;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlowerModelPolicyTest {
    private static final LatencyComparison SLOWER = new LatencyComparison("m", 21, 1.0, 1.3, 1.3, 1.25, 1.35);
    private static final LatencyComparison SLOWER_IN_NOISE = new LatencyComparison("m", 21, 1.0, 1.05, 1.05, 0.7, 1.4);
    private static final LatencyComparison FASTER = new LatencyComparison("m", 21, 1.0, 0.6, 0.6, 0.58, 0.62);
    private static final PruningRequest ASKS = PruningRequest.newBuilder().setFailIfSlower(true).build();

    @Test
    void aTrustedSlowdownFailsTheJobWhenTheRequestAsks() {
        JobRejected e = assertThrows(JobRejected.class, () -> SlowerModelPolicy.apply(SLOWER, ASKS, false));
        assertEquals("PRUNED_MODEL_SLOWER", e.code());
        assertTrue(e.getMessage().contains("1.30") && e.getMessage().contains("nothing was published"), e.getMessage());
    }

    @Test
    void theRequestWinsOverTheConfiguredDefaultEitherWay() {
        assertThrows(JobRejected.class, () -> SlowerModelPolicy.apply(SLOWER, PruningRequest.getDefaultInstance(), true));
        assertDoesNotThrow(() -> SlowerModelPolicy.apply(SLOWER, PruningRequest.newBuilder().setFailIfSlower(false).build(), true));
        assertDoesNotThrow(() -> SlowerModelPolicy.apply(SLOWER, PruningRequest.getDefaultInstance(), false));
    }

    @Test
    void aSlowdownWithinTheNoiseOrAFasterModelIsPublished() {
        assertDoesNotThrow(() -> SlowerModelPolicy.apply(SLOWER_IN_NOISE, ASKS, true));
        assertDoesNotThrow(() -> SlowerModelPolicy.apply(FASTER, ASKS, true));
    }
}
