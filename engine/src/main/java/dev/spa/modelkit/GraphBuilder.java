package dev.spa.modelkit;

import com.google.protobuf.ByteString;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.onnx.Onnx.AttributeProto;
import dev.spa.onnx.Onnx.GraphProto;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.NodeProto;
import dev.spa.onnx.Onnx.OperatorSetIdProto;
import dev.spa.onnx.Onnx.TensorProto;
import dev.spa.onnx.Onnx.TensorShapeProto;
import dev.spa.onnx.Onnx.TypeProto;
import dev.spa.onnx.Onnx.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.function.DoubleSupplier;

/** Builds small ONNX models in tests, with random float weights and int64 shape constants. */
public final class GraphBuilder {
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private final Random random = new Random(1234);
    private int opset = 17;
    private int counter;

    public GraphBuilder opset(int opset) {
        this.opset = opset;
        return this;
    }

    /** A float input; a dim of -1 is dynamic (named "N"). */
    public GraphBuilder input(String name, long... dims) {
        graph.addInput(valueInfo(name, dims));
        return this;
    }

    /** An int64 input (token ids, masks); a dim of -1 is dynamic. */
    public GraphBuilder longInput(String name, long... dims) {
        ValueInfoProto.Builder v = valueInfo(name, dims).toBuilder();
        v.getTypeBuilder().getTensorTypeBuilder().setElemType(7);
        graph.addInput(v);
        return this;
    }

    /**
     * A language model in miniature: int64 token ids [N, 4] pick rows of a 50 x 8 embedding table, an int64 mask
     * [N, 4] scales them, a 8 x 16 MatMul, Relu and a 16 x 3 MatMul read the result (16 prunable hidden units).
     */
    public static Model tokenModel() {
        return new GraphBuilder().longInput("ids", -1, 4).longInput("mask", -1, 4).output("y")
                .weight("table", 50, 8).node("Gather", new String[] {"table", "ids"}, new String[] {"e"}, "axis", 0L)
                .opAttrs("Cast", "m", new String[] {"mask"}, "to", 1L).longs("axis2", 2).op("Unsqueeze", "mu", "m", "axis2")
                .op("Mul", "em", "e", "mu").weight("W1", 8, 16).op("MatMul", "h", "em", "W1").op("Relu", "r", "h")
                .weight("W2", 16, 3).op("MatMul", "y", "r", "W2").model();
    }

    public GraphBuilder output(String name) {
        return output(name, 1);
    }

    /** An output of an ONNX element type (1 float, 7 int64). */
    public GraphBuilder output(String name, int elemType) {
        graph.addOutput(ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType))));
        return this;
    }

    /** Gaussian weights. */
    public GraphBuilder weight(String name, long... dims) {
        return generated(name, dims, () -> random.nextGaussian() * 0.5);
    }

    /** Positive weights (BatchNorm variances). */
    public GraphBuilder positive(String name, long... dims) {
        return generated(name, dims, () -> 0.5 + random.nextFloat());
    }

    private GraphBuilder generated(String name, long[] dims, DoubleSupplier values) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values.getAsDouble();
        }
        return floats(name, dims, v);
    }

    public GraphBuilder floats(String name, long[] dims, float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1).setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return this;
    }

    /** Gaussian weights held by a Constant node rather than an initializer, as Paddle and some TensorFlow exports write them. */
    public GraphBuilder constantWeight(String name, long... dims) {
        weight(name, dims);
        TensorProto value = graph.getInitializer(graph.getInitializerCount() - 1);
        graph.removeInitializer(graph.getInitializerCount() - 1);
        return node("Constant", new String[0], new String[] {name}, "value", value.toBuilder().clearName().build());
    }

    public GraphBuilder longs(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(7).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return this;
    }

    /** A node; attributes as name, value pairs (Long, long[], Float, String, a TensorProto or a GraphProto). */
    public GraphBuilder node(String op, String[] inputs, String[] outputs, Object... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + (counter++));
        for (String i : inputs) {
            n.addInput(i);
        }
        for (String o : outputs) {
            n.addOutput(o);
        }
        for (int i = 0; i < attrs.length; i += 2) {
            n.addAttribute(attribute((String) attrs[i], attrs[i + 1]));
        }
        graph.addNode(n);
        return this;
    }

    /** A node with one output. */
    public GraphBuilder op(String op, String output, String... inputs) {
        return node(op, inputs, new String[] {output});
    }

    public GraphBuilder opAttrs(String op, String output, String[] inputs, Object... attrs) {
        return node(op, inputs, new String[] {output}, attrs);
    }

    private static AttributeProto attribute(String name, Object value) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (value instanceof Long l) {
            a.setType(AttributeProto.AttributeType.INT).setI(l);
        } else if (value instanceof Integer i) {
            a.setType(AttributeProto.AttributeType.INT).setI(i);
        } else if (value instanceof long[] ls) {
            a.setType(AttributeProto.AttributeType.INTS);
            for (long l : ls) {
                a.addInts(l);
            }
        } else if (value instanceof TensorProto t) {
            a.setType(AttributeProto.AttributeType.TENSOR).setT(t);
        } else if (value instanceof GraphProto g) {
            a.setType(AttributeProto.AttributeType.GRAPH).setG(g);
        } else if (value instanceof Float f) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
        } else {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(value.toString()));
        }
        return a.build();
    }

    private static ValueInfoProto valueInfo(String name, long[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    /** The graph alone, as the body of an If or Loop node in another builder's graph. */
    public GraphProto subgraph() {
        return graph.build();
    }

    public ModelProto proto() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("spa-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
    }

    public byte[] bytes() {
        return proto().toByteArray();
    }

    public Model model() {
        return new ModelLoader().load(bytes(), null, "test model");
    }
}
