package dev.spa.verify;

import dev.spa.modelkit.GraphBuilder;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.runtime.OnnxRunner;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two models run side by side on the same inputs: shapes compared, deviation measured, timed when asked. */
class VerificationTest {
    private static byte[] conv(int outChannels, String seed) {
        return new GraphBuilder().input("x", 1, 4, 8, 8).output("y").weight("W" + seed, outChannels, 4, 1, 1)
                .op("Conv", "y", "x", "W" + seed).bytes();
    }

    @Test
    void theSameModelMatchesWithNoDeviation() {
        try (OnnxRunner a = new OnnxRunner(conv(8, "a"), 1); OnnxRunner b = new OnnxRunner(conv(8, "a"), 1)) {
            Map<String, float[]> inputs = a.randomInputs(1, 7);
            Verification v = Verification.compare(a, b, inputs, 1, null);
            assertEquals(List.of(), v.shapeMismatches());
            assertEquals(0, v.deviation(), 1e-12);
            assertNull(v.latency());
            assertEquals(0, v.agreement("test inputs").relativeError(), 1e-12);
        }
    }

    @Test
    void aClassifierIsJudgedByTopOneAgreementToo() {
        byte[] classifier = new GraphBuilder().input("x", 4, 16).output("y").weight("W", 16, 10).op("MatMul", "y", "x", "W").bytes();
        try (OnnxRunner a = new OnnxRunner(classifier, 1); OnnxRunner b = new OnnxRunner(classifier, 1)) {
            Agreement agreement = Verification.compare(a, b, a.randomInputs(4, 3), 4, null).agreement("random inputs");
            assertTrue(agreement.classifier());
            assertEquals(4, agreement.samples());
            assertEquals(1.0, agreement.top1());
            assertTrue(agreement.describe().contains("top-1 agreement 100.0%"), agreement.describe());
        }
    }

    @Test
    void aDifferentShapeIsNamedAndTimingIsOnlyWhereAsked() {
        try (OnnxRunner a = new OnnxRunner(conv(8, "a"), 1); OnnxRunner b = new OnnxRunner(conv(6, "a"), 1)) {
            Verification v = Verification.compare(a, b, a.randomInputs(1, 7), 1, new LatencyRuntime(ExecutionProvider.CPU, 1, 1));
            assertEquals(List.of("output y is [1, 6, 8, 8] after pruning, [1, 8, 8, 8] before"), v.shapeMismatches());
            assertNotNull(v.latency());
            assertTrue(v.latency().summary().contains("CPU"), v.latency().summary());
        }
    }
}
