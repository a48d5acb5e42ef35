package dev.spa.ir;

import dev.spa.modelkit.GraphBuilder;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.ModelOutputs;
import dev.spa.runtime.OnnxRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model written with external data (how ONNX stores models over 2 GiB) reads back tensor for tensor, names
 * its data file, and runs in ONNX Runtime from its file with the same outputs as the model in one piece.
 */
class ExternalDataWriterTest {
    @TempDir
    Path dir;

    private static Model convNet() {
        byte[] bytes = new GraphBuilder().input("x", 1, 8, 8, 8).output("y").weight("W1", 32, 8, 3, 3).weight("W2", 16, 32, 1, 1)
                .opAttrs("Conv", "c", new String[] {"x", "W1"}, "pads", new long[] {1, 1, 1, 1})
                .op("Relu", "r", "c").op("Conv", "y", "r", "W2").bytes();
        return new ModelLoader().load(bytes, null, "conv net");
    }

    @Test
    void tensorsGoToTheDataFileAndReadBackUnchanged() throws IOException {
        Model model = convNet();
        Path file = dir.resolve("net.onnx");
        model.write(file, true);

        Path data = dir.resolve("net.onnx.data");
        assertTrue(Files.size(data) >= model.graph().constant("W1").byteSize() + model.graph().constant("W2").byteSize());
        assertTrue(Files.size(file) < 1024, "the .onnx holds the graph only: " + Files.size(file) + " bytes");
        ModelFiles files = ModelFiles.of(file);
        assertEquals(List.of(data), files.data(), "found by skimming the file's fields");
        assertEquals("net.onnx.data", files.location(data));
        assertEquals(Files.size(file) + Files.size(data), files.bytes());

        Model read = new ModelLoader().load(file);
        for (String name : List.of("W1", "W2")) {
            assertArrayEquals(model.graph().constant(name).floats(), read.graph().constant(name).floats(), name);
        }
    }

    @Test
    void onnxRuntimeRunsTheFileWithItsDataAsItRunsTheModelInOnePiece() throws IOException {
        Model model = convNet();
        Path file = dir.resolve("net.onnx");
        model.write(file, true);
        try (OnnxRunner whole = new OnnxRunner(model.toBytes(), 1);
             OnnxRunner split = new OnnxRunner(file, 1, ExecutionProvider.CPU);
             OnnxRunner viaFile = OnnxRunner.of(model, 1, ExecutionProvider.CPU, 0)) {
            Map<String, float[]> inputs = whole.randomInputs(1, 3);
            ModelOutputs expected = whole.run(inputs, 1);
            assertEquals(0.0, expected.relativeError(split.run(inputs, 1)));
            assertEquals(0.0, expected.relativeError(viaFile.run(inputs, 1)));
        }
    }

    /** The content digest (the latency models' cache key) needs no serialised copy and does not depend on how the file was stored. */
    @Test
    void theDigestIsTheContentsNotTheFilesLayout() throws IOException {
        Model model = convNet();
        Path file = dir.resolve("net.onnx");
        model.write(file, true);
        assertEquals(model.sha256(), new ModelLoader().load(file).sha256());
        assertEquals(model.sha256(), new ModelLoader().load(model.toBytes(), null, "inline").sha256());
        Tensor w = model.graph().constant("W2");
        float[] changed = w.floats();
        changed[5] += 1e-3f;
        model.graph().putConstant(Tensor.ofFloats("W2", w.dims(), changed));
        assertFalse(model.sha256().equals(new ModelLoader().load(file).sha256()), "one weight changed changes the digest");
    }

    @Test
    void writingInOnePieceRemovesAStaleDataFile() throws IOException {
        Model model = convNet();
        Path file = dir.resolve("net.onnx");
        model.write(file, true);
        model.write(file);
        assertFalse(Files.exists(dir.resolve("net.onnx.data")));
        assertFalse(ModelFiles.of(file).hasExternalData());
    }
}
