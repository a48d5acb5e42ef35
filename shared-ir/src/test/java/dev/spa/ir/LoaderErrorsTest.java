package dev.spa.ir;

import dev.spa.SpaException;
import dev.spa.deps.Analysis;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.StringStringEntryProto;
import dev.spa.onnx.Onnx.TensorProto;
import dev.spa.testing.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of bad model gets its own one-line reason; good external data loads. */
class LoaderErrorsTest {
    @TempDir
    Path dir;

    private static GraphBuilder small() {
        return new GraphBuilder().input("x", -1, 4).output("y").weight("W", 4, 3).op("MatMul", "y", "x", "W");
    }

    private String errorFor(Path file) {
        SpaException e = assertThrows(SpaException.class, () -> new ModelLoader().load(file));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    @Test
    void emptyFile() throws IOException {
        assertTrue(errorFor(write("empty.onnx", new byte[0])).contains("is empty"));
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] full = small().bytes();
        String msg = errorFor(write("cut.onnx", Arrays.copyOf(full, full.length - 7)));
        assertTrue(msg.contains("not a valid ONNX protobuf") || msg.contains("no graph nodes"), msg);
    }

    @Test
    void randomBytes() throws IOException {
        byte[] junk = new byte[4096];
        new Random(3).nextBytes(junk);
        String msg = errorFor(write("junk.onnx", junk));
        assertTrue(msg.contains("not a valid ONNX protobuf") || msg.contains("no graph nodes"), msg);
    }

    @Test
    void missingFile() {
        assertTrue(errorFor(dir.resolve("nope.onnx")).contains("does not exist"));
    }

    @Test
    void overTheSizeLimit() throws IOException {
        Path f = write("m.onnx", small().bytes());
        SpaException e = assertThrows(SpaException.class, () -> new ModelLoader(10).load(f));
        assertTrue(e.getMessage().contains("over the limit"));
    }

    @Test
    void cycle() throws IOException {
        byte[] bytes = new GraphBuilder().input("x", -1, 4).output("y")
                .op("Add", "a", "x", "b").op("Relu", "b", "a").op("Relu", "y", "b").bytes();
        assertTrue(errorFor(write("cycle.onnx", bytes)).contains("cycle"));
    }

    @Test
    void missingInitializer() throws IOException {
        byte[] bytes = new GraphBuilder().input("x", -1, 4).output("y").op("MatMul", "y", "x", "W").bytes();
        String msg = errorFor(write("noinit.onnx", bytes));
        assertTrue(msg.contains("'W'") && msg.contains("missing initializer"), msg);
    }

    @Test
    void unknownOpset() throws IOException {
        assertTrue(errorFor(write("future.onnx", small().opset(99).bytes())).contains("opset 99"));
    }

    private ModelProto externalModel(String location) {
        ModelProto base = small().proto();
        TensorProto w = base.getGraph().getInitializer(0).toBuilder().clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("8"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue("48")).build();
        return base.toBuilder().setGraph(base.getGraph().toBuilder().setInitializer(0, w)).build();
    }

    private static byte[] weights() {
        ByteBuffer b = ByteBuffer.allocate(8 + 48).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0);
        for (int i = 0; i < 12; i++) {
            b.putFloat(i);
        }
        return b.array();
    }

    @Test
    void externalDataInsideTheFolderLoads() throws IOException {
        Files.write(dir.resolve("w.bin"), weights());
        Model m = new ModelLoader().load(write("ext.onnx", externalModel("w.bin").toByteArray()));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, m.graph().constant("W").floats());
    }

    @Test
    void externalDataEscapingTheFolderIsRefused() throws IOException {
        Path outside = Files.createTempFile("spa-outside", ".bin");
        outside.toFile().deleteOnExit();
        Files.write(outside, weights());
        assertTrue(errorFor(write("abs.onnx", externalModel(outside.toString()).toByteArray())).contains("absolute path"));
        assertTrue(errorFor(write("up.onnx", externalModel("../" + outside.getFileName()).toByteArray())).contains("'..'"));
        Files.createSymbolicLink(dir.resolve("link.bin"), outside);
        assertTrue(errorFor(write("link.onnx", externalModel("link.bin").toByteArray())).contains("link that leaves"));
        assertTrue(errorFor(write("gone.onnx", externalModel("gone.bin").toByteArray())).contains("not found"));
    }

    /** small() with its weight's declared shape replaced (raw data left as it is). */
    private static byte[] withWeightDims(long... dims) {
        ModelProto base = small().proto();
        TensorProto w = base.getGraph().getInitializer(0).toBuilder().clearDims().addAllDims(Arrays.stream(dims).boxed().toList()).build();
        return base.toBuilder().setGraph(base.getGraph().toBuilder().setInitializer(0, w)).build().toByteArray();
    }

    @Test
    void sizesThatOverflowOrAreNegativeAreRefused() throws IOException {
        String wraps = errorFor(write("wrap.onnx", withWeightDims((1L << 62) + 1, 4)));
        assertTrue(wraps.contains("more elements than any model can hold") || wraps.contains("one tensor may hold"), wraps);
        // -4 x -3 = 12 elements, as many as the data holds
        assertTrue(errorFor(write("negative.onnx", withWeightDims(-4, -3))).contains("negative dimension"));
    }

    /** A 10^12-element tensor declared with no values is refused before anything is allocated for it. */
    @Test
    void aHugeDeclaredTensorWithoutItsValuesAllocatesNothing() throws IOException {
        ModelProto base = small().proto();
        TensorProto huge = TensorProto.newBuilder().setName("W").setDataType(1).addDims(1_000_000).addDims(1_000_000).build();
        byte[] bytes = base.toBuilder().setGraph(base.getGraph().toBuilder().setInitializer(0, huge)).build().toByteArray();
        String msg = errorFor(write("huge.onnx", bytes));
        assertTrue(msg.contains("has 0 values") && msg.contains("needs 1000000000000"), msg);
    }

    @Test
    void graphsThatBreakTheFormatAreRefusedWithTheNodeNamed() throws IOException {
        GraphBuilder conv = new GraphBuilder().input("x", 1, 4, 8, 8).output("y").weight("W", 8, 4, 3, 3);
        assertTrue(errorFor(write("group0.onnx", conv.opAttrs("Conv", "y", new String[] {"x", "W"}, "group", 0L).bytes()))
                .contains("group 0"));
        conv = new GraphBuilder().input("x", 1, 4, 8, 8).output("y").weight("W", 8, 4, 3, 3);
        assertTrue(errorFor(write("stride0.onnx", conv.opAttrs("Conv", "y", new String[] {"x", "W"}, "strides", new long[] {0, 1}).bytes()))
                .contains("strides [0, 1]"));
        conv = new GraphBuilder().input("x", 1, 4, 8, 8).output("y").weight("W", 8, 4, 3, 3);
        assertTrue(errorFor(write("pads.onnx", conv.opAttrs("Conv", "y", new String[] {"x", "W"}, "pads", new long[] {-1, 0, 0, 0}).bytes()))
                .contains("pads"));
        conv = new GraphBuilder().input("x", 1, 4, 8, 8).output("y").weight("W", 8, 4, 3, 3);
        assertTrue(errorFor(write("kernel.onnx", conv.opAttrs("Conv", "y", new String[] {"x", "W"}, "kernel_shape", new long[] {5, 5}).bytes()))
                .contains("kernel_shape [5, 5]"));
        ModelProto dup = new GraphBuilder().input("x", -1, 4).output("y").weight("W", 4, 4)
                .op("MatMul", "a", "x", "W").op("Relu", "y", "a").proto();
        dup = dup.toBuilder().setGraph(dup.getGraph().toBuilder().setNode(1, dup.getGraph().getNode(1).toBuilder()
                .setName(dup.getGraph().getNode(0).getName()))).build();
        assertTrue(errorFor(write("dupname.onnx", dup.toByteArray())).contains("used by more than one node"));
        ModelProto dupInit = small().proto();
        dupInit = dupInit.toBuilder().setGraph(dupInit.getGraph().toBuilder().addInitializer(dupInit.getGraph().getInitializer(0))).build();
        assertTrue(errorFor(write("dupinit.onnx", dupInit.toByteArray())).contains("defined twice"));
        ModelProto noOutputs = small().proto();
        noOutputs = noOutputs.toBuilder().setGraph(noOutputs.getGraph().toBuilder().addNode(
                dev.spa.onnx.Onnx.NodeProto.newBuilder().setOpType("Relu").setName("silent").addInput("x"))).build();
        assertTrue(errorFor(write("nooutput.onnx", noOutputs.toByteArray())).contains("'silent' has no outputs"));
    }

    @Test
    void aGraphInputOfAbsurdSizeIsRefused() throws IOException {
        byte[] bytes = new GraphBuilder().input("x", 1, 1L << 40).output("y").op("Relu", "y", "x").bytes();
        String msg = errorFor(write("absurd.onnx", bytes));
        assertTrue(msg.contains("graph input 'x'") && msg.contains("one tensor may hold"), msg);
    }

    @Test
    void aConvWhoseInputChannelsDisagreeWithItsWeightIsRefused() {
        Model m = new GraphBuilder().input("x", 1, 3, 8, 8).output("y").weight("W", 8, 4, 3, 3).op("Conv", "y", "x", "W").model();
        SpaException e = assertThrows(SpaException.class, () -> Analysis.of(m));
        assertTrue(e.getMessage().contains("input has 3 channels, its weight expects 4"), e.getMessage());
    }

    @Test
    void externalDataPastTheEndOrNotARegularFileIsRefused() throws Exception {
        Files.write(dir.resolve("short.bin"), new byte[4]);
        assertTrue(errorFor(write("short.onnx", externalModel("short.bin").toByteArray())).contains("offset 8 lies outside"));
        Path fifo = dir.resolve("fifo.bin");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "skipped: mkfifo is not available here");
        assertTrue(errorFor(write("fifo.onnx", externalModel("fifo.bin").toByteArray())).contains("not a regular file"));
    }

    @Test
    void unknownOperatorStillPrunesTheOtherGroups() {
        Model m = new GraphBuilder().input("x", -1, 3, 8, 8).output("y")
                .weight("W1", 8, 3, 3, 3).op("Conv", "a", "x", "W1").node("FancyOp", new String[] {"a"}, new String[] {"b"})
                .weight("W2", 8, 8, 1, 1).op("Conv", "c", "b", "W2").op("Relu", "d", "c")
                .weight("W3", 4, 8, 1, 1).op("Conv", "y", "d", "W3").model();
        Analysis a = Analysis.of(m);
        assertEquals(1, a.prunableGroups().size(), "W2's channels are still prunable");
        assertTrue(a.groups().stream().anyMatch(g -> String.join(" ", g.blockedReasons()).contains("FancyOp")));
    }
}
