package dev.spa.fuzz;

import com.google.protobuf.ByteString;
import dev.spa.onnx.Onnx.AttributeProto;
import dev.spa.onnx.Onnx.GraphProto;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.NodeProto;
import dev.spa.onnx.Onnx.StringStringEntryProto;
import dev.spa.onnx.Onnx.TensorProto;
import dev.spa.onnx.Onnx.TensorShapeProto;
import dev.spa.onnx.Onnx.ValueInfoProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One hostile variant of a model per call, of the kinds the public ONNX loader CVEs and our own probes
 * used: flipped, cut or inserted bytes; protobuf fields changed to lies (dims, element types, data that
 * does not match, attributes at extremes, operators swapped, inputs rewired, nodes duplicated or
 * dropped, opsets out of range); external data pointing outside the model's folder.
 */
final class Mutator {
    static final List<String> OPERATORS = List.of("Conv", "Relu", "Add", "Mul", "Concat", "Split", "Reshape", "Transpose", "MatMul",
            "Gemm", "BatchNormalization", "MaxPool", "GlobalAveragePool", "Flatten", "Softmax", "Gather", "Slice", "Sum", "Resize",
            "ConvTranspose", "LayerNormalization", "Squeeze", "Unsqueeze", "Expand", "Pad", "ReduceMean", "Cast", "Identity", "Where");
    private static final long[] EXTREMES = {0, -1, 1, 2, 3, -7, 1L << 31, (1L << 62) + 1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40};
    /** Where external data may be made to point: inside, up and out, absolute, through a link, a FIFO. */
    static final List<String> LOCATIONS = List.of("inside.bin", "../outside/secret.bin", "/etc/passwd", "link.bin", "fifo.bin",
            "missing.bin", "", "sub/../../outside/secret.bin");

    private final Random random;

    Mutator(long seed) {
        this.random = new Random(seed);
    }

    byte[] mutate(ModelProto seed) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return bytesMutation(seed.toByteArray());
        }
        ModelProto.Builder m = seed.toBuilder();
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            fieldMutation(m);
        }
        return m.build().toByteArray();
    }

    private byte[] bytesMutation(byte[] bytes) {
        byte[] out = bytes.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> out = Arrays.copyOf(out, random.nextInt(out.length));
            case 2 -> {
                int at = random.nextInt(out.length);
                byte[] junk = new byte[1 + random.nextInt(16)];
                random.nextBytes(junk);
                byte[] longer = new byte[out.length + junk.length];
                System.arraycopy(out, 0, longer, 0, at);
                System.arraycopy(junk, 0, longer, at, junk.length);
                System.arraycopy(out, at, longer, at + junk.length, out.length - at);
                out = longer;
            }
            default -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    private long extreme() {
        return random.nextInt(3) == 0 ? random.nextInt(64) : EXTREMES[random.nextInt(EXTREMES.length)];
    }

    private void fieldMutation(ModelProto.Builder m) {
        GraphProto.Builder g = m.getGraphBuilder();
        switch (random.nextInt(12)) {
            case 0 -> m.setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(extreme()));
            case 1 -> m.setIrVersion(extreme());
            case 2 -> mutateNode(g);
            case 3 -> mutateNode(g);
            case 4 -> mutateInitializer(g);
            case 5 -> mutateInitializer(g);
            case 6 -> mutateInput(g);
            case 7 -> {
                if (g.getNodeCount() > 0) {
                    g.addNode(g.getNode(random.nextInt(g.getNodeCount())));
                }
            }
            case 8 -> {
                if (g.getNodeCount() > 1) {
                    g.removeNode(random.nextInt(g.getNodeCount()));
                }
            }
            case 9 -> {
                if (g.getInitializerCount() > 0) {
                    g.addInitializer(g.getInitializer(random.nextInt(g.getInitializerCount())));
                }
            }
            case 10 -> externalData(g);
            default -> {
                if (g.getOutputCount() > 0) {
                    g.setOutput(0, g.getOutput(0).toBuilder().setName(anyValue(g)));
                }
            }
        }
    }

    private String anyValue(GraphProto.Builder g) {
        if (g.getNodeCount() == 0 || random.nextInt(5) == 0) {
            return random.nextBoolean() ? "" : "nowhere";
        }
        NodeProto n = g.getNode(random.nextInt(g.getNodeCount()));
        return n.getOutputCount() > 0 ? n.getOutput(0) : n.getName();
    }

    private void mutateNode(GraphProto.Builder g) {
        if (g.getNodeCount() == 0) {
            return;
        }
        int i = random.nextInt(g.getNodeCount());
        NodeProto.Builder n = g.getNode(i).toBuilder();
        switch (random.nextInt(6)) {
            case 0 -> n.setOpType(OPERATORS.get(random.nextInt(OPERATORS.size())));
            case 1 -> {
                if (n.getInputCount() > 0) {
                    n.setInput(random.nextInt(n.getInputCount()), anyValue(g));
                }
            }
            case 2 -> n.addInput(anyValue(g));
            case 3 -> {
                if (n.getInputCount() > 0) {
                    List<String> inputs = new ArrayList<>(n.getInputList());
                    inputs.remove(random.nextInt(inputs.size()));
                    n.clearInput().addAllInput(inputs);
                }
            }
            case 4 -> n.clearOutput();
            default -> n.addAttribute(attribute());
        }
        g.setNode(i, n);
    }

    private AttributeProto attribute() {
        String[] names = {"group", "strides", "pads", "dilations", "kernel_shape", "axis", "axes", "perm", "split", "transB", "epsilon",
                "auto_pad", "ceil_mode", "keepdims", "num_outputs", "blocksize", "mode"};
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(names[random.nextInt(names.length)]);
        switch (random.nextInt(4)) {
            case 0 -> a.setType(AttributeProto.AttributeType.INT).setI(extreme());
            case 1 -> {
                a.setType(AttributeProto.AttributeType.INTS);
                for (int k = 0, n = random.nextInt(6); k < n; k++) {
                    a.addInts(extreme());
                }
            }
            case 2 -> a.setType(AttributeProto.AttributeType.FLOAT).setF(random.nextBoolean() ? Float.NaN : -random.nextFloat());
            default -> a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(random.nextBoolean() ? "SAME_UPPER" : "??"));
        }
        return a.build();
    }

    private void mutateInitializer(GraphProto.Builder g) {
        if (g.getInitializerCount() == 0) {
            return;
        }
        int i = random.nextInt(g.getInitializerCount());
        TensorProto.Builder t = g.getInitializer(i).toBuilder();
        switch (random.nextInt(6)) {
            case 0 -> {
                if (t.getDimsCount() > 0) {
                    t.setDims(random.nextInt(t.getDimsCount()), extreme());
                }
            }
            case 1 -> t.addDims(extreme());
            case 2 -> t.setDataType(random.nextInt(20));
            case 3 -> t.clearRawData();
            case 4 -> t.clearRawData().addFloatData(random.nextFloat());
            default -> t.setName(anyValue(g));
        }
        g.setInitializer(i, t);
    }

    private void mutateInput(GraphProto.Builder g) {
        if (g.getInputCount() == 0) {
            return;
        }
        int i = random.nextInt(g.getInputCount());
        ValueInfoProto v = g.getInput(i);
        if (!v.getType().hasTensorType() || v.getType().getTensorType().getShape().getDimCount() == 0) {
            return;
        }
        TensorShapeProto.Builder shape = v.getType().getTensorType().getShape().toBuilder();
        shape.setDim(random.nextInt(shape.getDimCount()), TensorShapeProto.Dimension.newBuilder().setDimValue(extreme()));
        ValueInfoProto.Builder b = v.toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().setShape(shape);
        g.setInput(i, b);
    }

    private void externalData(GraphProto.Builder g) {
        if (g.getInitializerCount() == 0) {
            return;
        }
        int i = random.nextInt(g.getInitializerCount());
        TensorProto.Builder t = g.getInitializer(i).toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(LOCATIONS.get(random.nextInt(LOCATIONS.size()))));
        if (random.nextBoolean()) {
            t.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(extreme())));
        }
        if (random.nextBoolean()) {
            t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(extreme())));
        }
        g.setInitializer(i, t);
    }
}
