package dev.spa.latency;

import dev.spa.ir.DataType;
import dev.spa.ir.Model;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;
import dev.spa.onnx.Onnx.GraphProto;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.NodeProto;
import dev.spa.onnx.Onnx.TypeProto;
import dev.spa.onnx.Onnx.ValueInfoProto;

import java.util.Arrays;
import java.util.Random;

/**
 * One layer alone as an ONNX model, at the input and output sizes a plan would give it: what the latency
 * model times. The activation input has the shape the layer sees in the model at the runtime's batch, every
 * axis fixed (an axis that moves with the batch is not always the first: PyTorch's attention runs [T, N, E]);
 * the weights are random, which costs the same.
 */
final class LayerModels {
    private final Model model;
    private final Shapes symbolic;
    private final Shapes unit;
    private final int batch;

    /** @param symbolic the model's shapes with free axes left free (-1), {@code unit} the same at batch 1 */
    LayerModels(Model model, Shapes symbolic, Shapes unit, int batch) {
        this.model = model;
        this.symbolic = symbolic;
        this.unit = unit;
        this.batch = batch;
    }

    /** The activation's shape at the runtime's batch: an axis free in the model scales with the batch. */
    private long[] atBatch(String value) {
        long[] x = unit.require(value).clone();
        long[] free = symbolic.get(value);
        for (int i = 0; i < x.length; i++) {
            if (free != null && free.length == x.length && free[i] < 0) {
                x[i] *= batch;
            }
        }
        return x;
    }

    /** How many weights the layer has in the model. */
    long weightElements(TimedLayer layer) {
        return model.graph().constant(layer.node().input(1)).numel();
    }

    /** The layer at input size {@code in} and output size {@code out}, serialized. */
    byte[] build(TimedLayer layer, long in, long out) {
        Node node = layer.node();
        long[] x = atBatch(node.input(0));
        NodeProto.Builder n = node.toProto().toBuilder().clearOutput().addOutput("y");
        GraphProto.Builder g = GraphProto.newBuilder().setName("layer");
        long[] weight;
        if (node.opType().equals("Conv")) {
            long[] w = model.graph().constant(node.input(1)).dims();
            long group = node.attrInt("group", 1);
            long newGroup = layer.inputFollowsOutput() ? Math.max(1, group * out / layer.outSize()) : 1;
            x[1] = in;
            weight = new long[] {out, in / newGroup, w[2], w[3]};
            setGroup(n, newGroup);
        } else {
            x[x.length - 1] = in;
            boolean transB = node.opType().equals("Gemm") && node.attrInt("transB", 0) != 0;
            weight = transB ? new long[] {out, in} : new long[] {in, out};
        }
        g.addInput(Model.declaration(node.input(0), DataType.FLOAT, x));
        g.addInitializer(random(node.input(1), weight, 1).toProto());
        Tensor bias = node.inputs().size() > 2 ? model.graph().constant(node.input(2)) : null;
        if (bias != null) {
            // a bias broadcast over a batch axis ([1, N]) keeps that axis; a scalar stays one
            long[] dims = bias.dims().clone();
            if (dims.length > 0 && dims[dims.length - 1] > 1) {
                dims[dims.length - 1] = out;
            }
            g.addInitializer(random(node.input(2), dims, 2).toProto());
        } else if (node.inputs().size() > 2) {
            n.setInput(2, ""); // a bias computed at run time: timed without it (an empty name is an absent input)
        }
        g.addOutput(ValueInfoProto.newBuilder().setName("y").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT))));
        g.addNode(n);
        ModelProto header = model.header();
        return header.toBuilder().setIrVersion(Math.max(4, header.getIrVersion())).setGraph(g).build().toByteArray();
    }

    private static void setGroup(NodeProto.Builder n, long group) {
        for (int i = 0; i < n.getAttributeCount(); i++) {
            if (n.getAttribute(i).getName().equals("group")) {
                n.setAttribute(i, n.getAttribute(i).toBuilder().setI(group));
            }
        }
    }

    private static Tensor random(String name, long[] dims, long seed) {
        Random r = new Random(seed);
        float[] v = new float[(int) Shapes.product(dims, 0, dims.length)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.05 * r.nextGaussian());
        }
        return Tensor.ofFloats(name, Arrays.copyOf(dims, dims.length), v);
    }
}
