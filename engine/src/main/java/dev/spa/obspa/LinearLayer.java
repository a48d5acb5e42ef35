package dev.spa.obspa;

import dev.spa.ir.Graph;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;
import dev.spa.rules.Dim;

import java.util.Map;
import java.util.stream.IntStream;

/**
 * A layer OBSPA can reason about: y = W x (+ b) on unfolded inputs. Conv (one group) sees patches
 * of C*kh*kw values, Gemm and MatMul with a constant weight see feature vectors. The weight is
 * always handled as a matrix of {@code outputs} rows by {@code inputs} columns, whatever its ONNX
 * layout; a bias, where the layer has one, is an extra column fed by a constant 1.
 */
public record LinearLayer(Node node, String weight, String bias, String input, int outputs, int inputChannels,
                          ConvGeometry conv, boolean weightTransposed) {

    /** The layer behind a node, or null when OBSPA does not handle it (grouped Conv, 3-D weights, ...). */
    public static LinearLayer of(Graph graph, Node node) {
        Tensor w = node.inputs().size() > 1 ? graph.constant(node.input(1)) : null;
        if (w == null || !w.isFloat()) {
            return null;
        }
        switch (node.opType()) {
            case "Conv": {
                ConvGeometry g = ConvGeometry.of(node, w);
                if (g == null || node.attrInt("group", 1) != 1) {
                    return null;
                }
                return new LinearLayer(node, node.input(1), optionalBias(graph, node, 2), node.input(0),
                        (int) w.dim(0), (int) w.dim(1), g, false);
            }
            case "Gemm": {
                if (w.rank() != 2 || node.attrInt("transA", 0) != 0 || node.attrFloat("alpha", 1f) != 1f) {
                    return null;
                }
                boolean transB = node.attrInt("transB", 0) == 1;
                String bias = node.attrFloat("beta", 1f) == 1f ? optionalBias(graph, node, 2) : null;
                if (bias != null && graph.constant(bias).numel() != (transB ? w.dim(0) : w.dim(1))) {
                    bias = null; // a broadcast scalar bias is not one value per output
                }
                return new LinearLayer(node, node.input(1), bias, node.input(0), (int) w.dim(transB ? 0 : 1),
                        (int) w.dim(transB ? 1 : 0), null, !transB);
            }
            case "MatMul":
                if (w.rank() != 2) {
                    return null;
                }
                return new LinearLayer(node, node.input(1), null, node.input(0), (int) w.dim(1), (int) w.dim(0), null, true);
            default:
                return null;
        }
    }

    private static String optionalBias(Graph graph, Node node, int index) {
        if (!node.hasInput(index)) {
            return null;
        }
        Tensor b = graph.constant(node.input(index));
        return b != null && b.isFloat() ? node.input(index) : null;
    }

    /** The axis of the ONNX weight tensor that indexes input channels. */
    public int inputAxis() {
        return conv != null || !weightTransposed ? 1 : 0;
    }

    /** The weight-matrix columns of the given input-channel positions. */
    public int[] columns(int[] positions) {
        int per = columnsPerChannel();
        int[] out = new int[positions.length * per];
        for (int i = 0; i < positions.length; i++) {
            for (int k = 0; k < per; k++) {
                out[i * per + k] = positions[i] * per + k;
            }
        }
        return out;
    }

    /** The weight-matrix columns of the input channels a plan removes (none when it keeps them all). */
    public int[] removedColumns(Map<Dim, int[]> kept) {
        int[] keep = kept.get(new Dim(weight, inputAxis()));
        if (keep == null) {
            return new int[0];
        }
        boolean[] k = new boolean[inputChannels];
        for (int p : keep) {
            k[p] = true;
        }
        return columns(IntStream.range(0, k.length).filter(p -> !k[p]).toArray());
    }

    /** Columns of the weight matrix that belong to one input channel (kh*kw for a Conv, 1 otherwise). */
    public int columnsPerChannel() {
        return conv == null ? 1 : conv.kernelArea();
    }

    public int weightColumns() {
        return inputChannels * columnsPerChannel();
    }

    /** Columns of the Hessian: the weight's, plus the constant-1 column when there is a bias. */
    public int hessianColumns() {
        return weightColumns() + (bias == null ? 0 : 1);
    }

    /**
     * Rows one sample adds to this layer's Hessian: its output positions (a Conv's spatial ones, the leading axes of a
     * Gemm or MatMul past the batch's), as the shapes at unit free dimensions give them.
     */
    public long rowsPerSample(Shapes unitShapes) {
        long[] out = unitShapes.get(node.output(0));
        long positions = 1;
        if (out != null) {
            for (int a = conv != null ? 2 : 0; a < out.length - (conv != null ? 0 : 1); a++) {
                positions *= Math.max(1, out[a]);
            }
        }
        return positions;
    }

    /** W (outputs x weightColumns) followed by the bias as the last column when there is one. */
    public float[] matrix(Graph graph) {
        float[] w = graph.constant(weight).floats();
        int n = hessianColumns();
        int k = weightColumns();
        float[] m = new float[outputs * n];
        for (int o = 0; o < outputs; o++) {
            for (int i = 0; i < k; i++) {
                m[o * n + i] = weightTransposed ? w[i * outputs + o] : w[o * k + i];
            }
        }
        if (bias != null) {
            float[] b = graph.constant(bias).floats();
            for (int o = 0; o < outputs; o++) {
                m[o * n + k] = b[o];
            }
        }
        return m;
    }

    /** Writes a matrix in {@link #matrix}'s layout back into the weight and bias constants. */
    public void write(Graph graph, float[] m) {
        int n = hessianColumns();
        int k = weightColumns();
        Tensor old = graph.constant(weight);
        float[] w = new float[outputs * k];
        for (int o = 0; o < outputs; o++) {
            for (int i = 0; i < k; i++) {
                w[weightTransposed ? i * outputs + o : o * k + i] = m[o * n + i];
            }
        }
        graph.putConstant(Tensor.ofFloats(weight, old.dims(), w));
        if (bias != null) {
            float[] b = new float[outputs];
            for (int o = 0; o < outputs; o++) {
                b[o] = m[o * n + k];
            }
            graph.putConstant(Tensor.ofFloats(bias, graph.constant(bias).dims(), b));
        }
    }
}
