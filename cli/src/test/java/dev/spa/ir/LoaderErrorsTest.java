package dev.spa.ir;

import dev.spa.SpaException;
import dev.spa.groups.Analysis;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.modelkit.HostileModels;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.StringStringEntryProto;
import dev.spa.onnx.Onnx.TensorProto;
import dev.spa.testing.SpaCli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

    /** Each ill-formed class refused by the loader with its own one-line reason (channel mismatches need shapes: below). */
    @ParameterizedTest
    @EnumSource(value = HostileModels.class, mode = EnumSource.Mode.EXCLUDE, names = "CHANNELS_DISAGREE")
    void everyHostileModelIsRefusedWithItsReason(HostileModels hostile) throws IOException {
        String msg = errorFor(write(hostile.name() + ".onnx", hostile.bytes()));
        assertTrue(msg.contains(hostile.reason()), hostile + ": " + msg);
    }

    /** The same through the CLI a user runs: one "spa: error:" line with the reason, a non-zero exit, no model written. */
    @ParameterizedTest
    @EnumSource(HostileModels.class)
    void theCliRefusesEveryHostileModelInOneLine(HostileModels hostile) throws IOException {
        Path model = write(hostile.name() + ".onnx", hostile.bytes());
        SpaCli.Run r = SpaCli.run("prune", model.toString(), "-o", dir.resolve("out.onnx").toString(), "--criterion", "l2");
        assertTrue(r.code() != 0, hostile + " exited 0");
        List<String> errors = r.err().lines().filter(l -> l.startsWith("spa: error:")).toList();
        assertEquals(1, errors.size(), hostile + ": " + r.err());
        assertTrue(errors.get(0).contains(hostile.reason()) && !r.err().contains("Exception") && !r.err().contains("\tat "), hostile + ": " + r.err());
        assertFalse(Files.exists(dir.resolve("out.onnx")), hostile + ": a model was written");
    }

    @Test
    void aConvWhoseInputChannelsDisagreeWithItsWeightIsRefused() throws IOException {
        Model m = new ModelLoader().load(write("channels.onnx", HostileModels.CHANNELS_DISAGREE.bytes()));
        SpaException e = assertThrows(SpaException.class, () -> Analysis.of(m));
        assertTrue(e.getMessage().contains(HostileModels.CHANNELS_DISAGREE.reason()), e.getMessage());
    }

    @Test
    void externalDataPastTheEndOrNotARegularFileIsRefused() throws Exception {
        Files.write(dir.resolve("short.bin"), new byte[4]);
        assertTrue(errorFor(write("short.onnx", externalModel("short.bin").toByteArray())).contains("offset 8 lies outside"));
        Path fifo = dir.resolve("fifo.bin");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "skipped: mkfifo is not available here");
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
