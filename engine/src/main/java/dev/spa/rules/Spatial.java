package dev.spa.rules;

import dev.spa.SpaException;
import dev.spa.ir.InvalidModelException;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;

/** Output sizes of sliding-window operators (Conv, pooling) from their attributes. */
final class Spatial {
    private Spatial() {
    }

    /** Output shape [N, channels, spatial...] for input x and the given kernel. */
    static long[] windowOutput(Node node, long[] x, long channels, long[] kernel, boolean ceilMode) {
        if (kernel == null) {
            throw new InvalidModelException(node + " has no kernel_shape");
        }
        if (x.length < 3) {
            throw new InvalidModelException(node + " reads a value of rank " + x.length + "; a sliding window needs rank 3 or more");
        }
        int spatial = x.length - 2;
        if (kernel.length != spatial) {
            throw new SpaException(node + " has a kernel of rank " + kernel.length + " for " + spatial + " spatial axes");
        }
        long[] strides = Axes.ints(node, "strides", Axes.filled(spatial, 1));
        long[] dilations = Axes.ints(node, "dilations", Axes.filled(spatial, 1));
        long[] pads = Axes.ints(node, "pads", Axes.filled(2 * spatial, 0));
        String autoPad = node.attrString("auto_pad", "NOTSET");
        long[] out = new long[x.length];
        out[0] = x[0];
        out[1] = channels;
        for (int i = 0; i < spatial; i++) {
            long in = x[i + 2];
            if (in < 0) {
                out[i + 2] = Shapes.DYNAMIC;
                continue;
            }
            long effective = dilations[i] * (kernel[i] - 1) + 1;
            if (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER")) {
                out[i + 2] = (in + strides[i] - 1) / strides[i];
            } else {
                long padded = autoPad.equals("VALID") ? in : in + pads[i] + pads[i + spatial];
                long span = padded - effective;
                out[i + 2] = (ceilMode ? (span + strides[i] - 1) / strides[i] : span / strides[i]) + 1;
            }
        }
        return out;
    }
}
