package dev.spa.obspa;

import dev.spa.ir.Node;
import dev.spa.ir.Tensor;

/** Kernel, strides, padding and dilation of a 2-D Conv: what unfolding its input into patches needs. */
public record ConvGeometry(int kh, int kw, int strideH, int strideW, int padTop, int padLeft, int padBottom,
                           int padRight, int dilationH, int dilationW) {

    /** Null for anything but an explicitly padded 2-D Conv. */
    public static ConvGeometry of(Node node, Tensor weight) {
        if (weight.rank() != 4 || !node.attrString("auto_pad", "NOTSET").equals("NOTSET")) {
            return null;
        }
        long[] s = orDefault(node.attrInts("strides"), 2, 1);
        long[] p = orDefault(node.attrInts("pads"), 4, 0);
        long[] d = orDefault(node.attrInts("dilations"), 2, 1);
        return new ConvGeometry((int) weight.dim(2), (int) weight.dim(3), (int) s[0], (int) s[1],
                (int) p[0], (int) p[1], (int) p[2], (int) p[3], (int) d[0], (int) d[1]);
    }

    private static long[] orDefault(long[] v, int length, long fallback) {
        if (v != null) {
            return v;
        }
        long[] out = new long[length];
        java.util.Arrays.fill(out, fallback);
        return out;
    }

    public int kernelArea() {
        return kh * kw;
    }

    public int outputHeight(int h) {
        return (h + padTop + padBottom - dilationH * (kh - 1) - 1) / strideH + 1;
    }

    public int outputWidth(int w) {
        return (w + padLeft + padRight - dilationW * (kw - 1) - 1) / strideW + 1;
    }
}
