package dev.spa.obspa;

/**
 * Reorderings of a Conv's per-channel blocks that {@link MomentPropagation} needs to push a channel covariance
 * through the kernel as one matrix product.
 */
final class BlockLayout {
    private BlockLayout() {
    }

    /** [inC][outC][area] -> [outC][inC][area]. */
    static float[] outerFirst(float[] m, int inC, int outC, int area) {
        float[] t = new float[m.length];
        for (int c = 0; c < inC; c++) {
            for (int o = 0; o < outC; o++) {
                System.arraycopy(m, (c * outC + o) * area, t, (o * inC + c) * area, area);
            }
        }
        return t;
    }

    /** [inC][outC][area] -> [inC][area][outC]. */
    static float[] areaInside(float[] s, int inC, int outC, int area) {
        float[] t = new float[s.length];
        for (int c = 0; c < inC; c++) {
            for (int o = 0; o < outC; o++) {
                for (int a = 0; a < area; a++) {
                    t[(c * area + a) * outC + o] = s[(c * outC + o) * area + a];
                }
            }
        }
        return t;
    }
}
