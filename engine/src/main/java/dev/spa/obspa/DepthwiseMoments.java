package dev.spa.obspa;

import dev.spa.linalg.Linalg;
import dev.spa.linalg.Transpose;

/**
 * Moments through a Conv whose every output reads one input channel (depthwise, with any channel
 * multiplier): Σ_out[o][o'] = Σ_in[c(o)][c(o')] · w_oᵀ R w_o', with w_o the kernel of output o, c(o) its
 * input channel and R the spatial correlation of a patch's positions. The general path multiplies dense
 * [C x C·area] kernel matrices that are zero outside one channel: for EfficientNet's 1152-channel 5x5
 * depthwise layers 76 GFLOP each, where this is outC²·area.
 */
final class DepthwiseMoments {
    private DepthwiseMoments() {
    }

    /**
     * @param w            the kernels, outC x area (row-major, as the ONNX weight [outC, 1, kh, kw] lies)
     * @param outPerInput  outputs per input channel: output o reads channel o / outPerInput
     * @param r            the area x area spatial correlation
     * @param bias         the bias per output, or null
     */
    static Moments of(Moments x, float[] w, int outC, int area, int outPerInput, float[] r, float[] bias, Linalg linalg) {
        int inC = x.channels();
        double[] mean = new double[outC];
        for (int o = 0; o < outC; o++) {
            double kernelSum = 0;
            for (int a = 0; a < area; a++) {
                kernelSum += w[o * area + a];
            }
            mean[o] = (bias == null ? 0 : bias[o]) + kernelSum * x.mean()[o / outPerInput];
        }
        // K = W R Wᵀ: the kernels' spatial inner products, outC x outC
        float[] k = linalg.multiply(linalg.multiply(w, r, outC, area, area), Transpose.of(w, outC, area), outC, area, outC);
        float[] cov = new float[outC * outC];
        for (int o = 0; o < outC; o++) {
            int c = o / outPerInput;
            for (int q = 0; q < outC; q++) {
                cov[o * outC + q] = (float) ((double) x.cov()[c * inC + q / outPerInput] * k[o * outC + q]);
            }
        }
        return new Moments(mean, cov);
    }
}
