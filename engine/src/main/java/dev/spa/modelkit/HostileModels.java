package dev.spa.modelkit;

import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.NodeProto;
import dev.spa.onnx.Onnx.TensorProto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Small ill-formed models of each class that once crashed the engine or were "pruned" anyway (issue 13), each
 * with a fragment of the one-line reason it must be refused with: by the CLI's loader, and by ingest
 * (INVALID_MODEL) before any stage sees it. The engine's tests, ingest's tests and the hostile load test share them.
 */
public enum HostileModels {
    NOT_ONNX("not a valid ONNX protobuf", () -> "this is not an ONNX model".getBytes(StandardCharsets.UTF_8)),
    CONV_GROUP_0("group 0", () -> conv().opAttrs("Conv", "y", new String[] {"x", "W"}, "group", 0L).bytes()),
    STRIDE_0("strides [0, 1]", () -> conv().opAttrs("Conv", "y", new String[] {"x", "W"}, "strides", new long[] {0, 1}).bytes()),
    NEGATIVE_PADS("pads", () -> conv().opAttrs("Conv", "y", new String[] {"x", "W"}, "pads", new long[] {-1, 0, 0, 0}).bytes()),
    LYING_KERNEL_SHAPE("kernel_shape [5, 5]", () -> conv().opAttrs("Conv", "y", new String[] {"x", "W"}, "kernel_shape", new long[] {5, 5}).bytes()),
    CHANNELS_DISAGREE("input has 3 channels, its weight expects 4",
            () -> new GraphBuilder().input("x", 1, 3, 8, 8).output("y").weight("W", 8, 4, 3, 3).op("Conv", "y", "x", "W").bytes()),
    DUPLICATE_NODE_NAMES("used by more than one node", HostileModels::duplicateNodeNames),
    DUPLICATE_INITIALIZER("defined twice", () -> {
        ModelProto m = small().proto();
        return m.toBuilder().setGraph(m.getGraph().toBuilder().addInitializer(m.getGraph().getInitializer(0))).build().toByteArray();
    }),
    NODE_WITHOUT_OUTPUTS("'silent' has no outputs", () -> {
        ModelProto m = small().proto();
        return m.toBuilder().setGraph(m.getGraph().toBuilder().addNode(NodeProto.newBuilder().setOpType("Relu").setName("silent").addInput("x")))
                .build().toByteArray();
    }),
    DECLARED_HUGE("needs 1000000000000", () -> withWeight(TensorProto.newBuilder().setName("W").setDataType(1).addDims(1_000_000).addDims(1_000_000).build())),
    OVERFLOWING_DIMS("more elements than any model can hold", () -> withWeightDims((1L << 62) + 1, 4)),
    NEGATIVE_DIMS("negative dimension", () -> withWeightDims(-4, -3)),
    ABSURD_GRAPH_INPUT("one tensor may hold", () -> new GraphBuilder().input("x", 1, 1L << 40).output("y").op("Relu", "y", "x").bytes());

    private final String reason;
    private final Supplier<byte[]> bytes;

    HostileModels(String reason, Supplier<byte[]> bytes) {
        this.reason = reason;
        this.bytes = bytes;
    }

    /** A fragment of the reason it must be refused with. */
    public String reason() {
        return reason;
    }

    public byte[] bytes() {
        return bytes.get();
    }

    private static GraphBuilder conv() {
        return new GraphBuilder().input("x", 1, 4, 8, 8).output("y").weight("W", 8, 4, 3, 3);
    }

    private static GraphBuilder small() {
        return new GraphBuilder().input("x", -1, 4).output("y").weight("W", 4, 3).op("MatMul", "y", "x", "W");
    }

    private static byte[] duplicateNodeNames() {
        ModelProto m = new GraphBuilder().input("x", -1, 4).output("y").weight("W", 4, 4).op("MatMul", "a", "x", "W").op("Relu", "y", "a").proto();
        return m.toBuilder().setGraph(m.getGraph().toBuilder().setNode(1, m.getGraph().getNode(1).toBuilder()
                .setName(m.getGraph().getNode(0).getName()))).build().toByteArray();
    }

    private static byte[] withWeight(TensorProto weight) {
        ModelProto m = small().proto();
        return m.toBuilder().setGraph(m.getGraph().toBuilder().setInitializer(0, weight)).build().toByteArray();
    }

    /** small() with its weight's declared shape replaced, its raw data left as it is (-4 x -3 = 12 values, as many as it holds). */
    private static byte[] withWeightDims(long... dims) {
        TensorProto w = small().proto().getGraph().getInitializer(0).toBuilder().clearDims().addAllDims(Arrays.stream(dims).boxed().toList()).build();
        return withWeight(w);
    }
}
