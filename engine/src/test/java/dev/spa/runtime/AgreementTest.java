package dev.spa.runtime;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agreement of a model that is not a classifier: outputs [N, 3, 4] shaped like a detector's, a large
 * part every input shares (anchor priors) plus a part that depends on the input.
 */
class AgreementTest {
    private static final int N = 16;
    private static final int PER_SAMPLE = 12;

    /** A batch of N outputs whose element i of sample s is {@code value(s * PER_SAMPLE + i)}. */
    private static ModelOutputs outputs(IntToDoubleFunction value) {
        float[] y = new float[N * PER_SAMPLE];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) value.applyAsDouble(i);
        }
        return new ModelOutputs(Map.of("boxes", y), Map.of("boxes", new long[] {N, 3, 4}));
    }

    private static double prior(int i) {
        return 100 + i % PER_SAMPLE;
    }

    private static double signal(int i) {
        return Math.sin(1.7 * i) + Math.cos(0.3 * i * i);
    }

    private static final ModelOutputs ORIGINAL = outputs(i -> prior(i) + signal(i));

    @Test
    void theSameOutputsAgreeFully() {
        Agreement a = Agreement.of(ORIGINAL, ORIGINAL, N, "test inputs");
        assertFalse(a.classifier());
        assertEquals(0, a.variationError(), 1e-9);
        assertEquals(1, a.score(), 1e-9);
    }

    @Test
    void anOutputThatNoLongerDependsOnItsInputScoresZeroThoughItsRelativeErrorIsSmall() {
        Agreement collapsed = Agreement.of(ORIGINAL, outputs(AgreementTest::prior), N, "test inputs");
        assertTrue(collapsed.relativeError() < 0.02, "the shared priors dominate the norm: " + collapsed.relativeError());
        assertEquals(1, collapsed.variationError(), 1e-9);
        assertEquals(0, collapsed.score(), 1e-9);
        assertEquals("1 - output error", collapsed.measureName());
        assertTrue(collapsed.describe().contains("variation error 1.000"), collapsed.describe());
    }

    @Test
    void whatEveryInputSharesCancelsAndHalfTheVariationLostMeasuresAHalf() {
        Agreement shifted = Agreement.of(ORIGINAL, outputs(i -> prior(i) + 0.5 + signal(i)), N, "test inputs");
        assertEquals(0, shifted.variationError(), 1e-5);
        assertEquals(shifted.relativeError(), shifted.outputError(), 1e-12);
        Agreement halved = Agreement.of(ORIGINAL, outputs(i -> prior(i) + 0.5 * signal(i)), N, "test inputs");
        assertEquals(0.5, halved.variationError(), 1e-5); // outputs are float32 around 100
    }

    @Test
    void anOutputTheOriginalDoesNotVaryIsJudgedByItsRelativeErrorAlone() {
        Agreement a = Agreement.of(outputs(AgreementTest::prior), outputs(i -> prior(i) + 1), N, "test inputs");
        assertTrue(Double.isNaN(a.variationError()));
        assertEquals(1 - a.relativeError(), a.score(), 1e-12);
    }
}
