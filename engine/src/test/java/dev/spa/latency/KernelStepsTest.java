package dev.spa.latency;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.LongToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The step read from a sweep, on sweeps shaped like those measured on ONNX Runtime's CPU kernels, with 2% noise. */
class KernelStepsTest {
    private static int fit(long from, long to, LongToDoubleFunction ms) {
        Random noise = new Random(7);
        long[] sizes = new long[(int) (to - from + 1)];
        double[] times = new double[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = from + i;
            times[i] = ms.applyAsDouble(sizes[i]) * (1 + 0.02 * noise.nextGaussian());
        }
        return KernelSteps.fit(sizes, times);
    }

    @Test
    void stairsOfSixteenAreAStepOfSixteen() {
        // a pointwise Conv: 129 to 144 output channels cost what 144 costs
        assertEquals(16, fit(128, 160, s -> 0.1 + 0.001 * KernelSteps.roundUp(s, 16)));
    }

    @Test
    void aFastPathAtMultiplesOfFourIsAStepOfFour() {
        // a depthwise Conv: multiples of 4 take half the time of the sizes between them
        assertEquals(4, fit(352, 384, s -> (s % 4 == 0 ? 0.12 : 0.245) + 0.0001 * s));
    }

    @Test
    void aFastPathAtMultiplesOfSixteenIsFoundWithOnlyTwoOfThem() {
        // the first Conv of MobileNetV2 (3 -> 32): only 16 and 32 take the fast path
        assertEquals(16, fit(16, 32, s -> (s % 16 == 0 ? 0.2 : 0.36) + 0.001 * s));
    }

    @Test
    void timeThatGrowsWithTheSizeHasNoStep() {
        assertEquals(1, fit(96, 128, s -> 0.05 + 0.002 * s));
    }
}
