package dev.spa.models;

import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.runtime.Accuracy;
import dev.spa.runtime.SampleBatches;
import dev.spa.testing.OnnxChecker;
import dev.spa.testing.SharedFiles;
import dev.spa.testing.SpaCli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trained models exported the way third parties export them: a fixed batch of 1, weights behind a
 * Reshape, SAME auto-padding, IR version 3 (the ONNX Model Zoo's MNIST CNN, by CNTK).
 */
class ModelsAsTheyComeTest {
    @TempDir
    Path dir;

    private static Path zoo() {
        Path f = SharedFiles.models().resolve("mnist_cnn_zoo.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(f) && Files.isRegularFile(SharedFiles.data().resolve("mnist_test1000_x.f32")),
                "skipped: mnist_cnn_zoo.onnx or the MNIST test data is absent from " + SharedFiles.root());
        return f;
    }

    private static String spa(String... argv) {
        SpaCli.Run r = SpaCli.ok(argv);
        return r.out() + r.err();
    }

    private static double mnistAccuracy(Path model) {
        Model m = new ModelLoader().load(model);
        SampleBatches x = SampleBatches.fromFile(SharedFiles.data().resolve("mnist_test1000_x.f32"), SampleBatches.sampleShape(m));
        return 100 * Accuracy.top1(m, x, SampleBatches.readLabels(SharedFiles.data().resolve("mnist_test1000_y.i64")));
    }

    /** 64 MNIST images as calibration samples (the last 64 of the 1000; a test of running, not of accuracy). */
    private Path calibration() throws IOException {
        byte[] all = Files.readAllBytes(SharedFiles.data().resolve("mnist_test1000_x.f32"));
        Path f = dir.resolve("calibration.f32");
        Files.write(f, Arrays.copyOfRange(all, all.length - 64 * 784 * 4, all.length));
        return f;
    }

    @Test
    void aFixedBatchModelEvaluatesInBatchesOfAnySize() {
        Path model = zoo();
        double accuracy = mnistAccuracy(model);
        assertEquals(98.4, accuracy, 0.05, "the zoo MNIST CNN on the first 1000 MNIST test images");
        assertTrue(spa("eval", model.toString(), "--inputs", SharedFiles.data().resolve("mnist_test1000_x.f32").toString(),
                "--labels", SharedFiles.data().resolve("mnist_test1000_y.i64").toString()).contains("98.40%"));
    }

    @Test
    void aFixedBatchModelCalibratesAndItsWeightsBehindAReshapeGetHessians() throws IOException {
        Path model = zoo();
        Path out = dir.resolve("pruned.onnx");
        String log = spa("prune", model.toString(), "-o", out.toString(), "--criterion", "obspa", "--global",
                "--target", "macs=0.5", "--calibration", calibration().toString());
        // both Conv layers read pruned channels: the second Conv and the MatMul whose weight is Reshape(Parameter193)
        assertTrue(log.contains("Hessians of 2 layers from calibration"), log);
        double accuracy = mnistAccuracy(out);
        assertTrue(accuracy > 92, "calibrated OBSPA at half the MACs (94.9% when written): " + accuracy + "%");
    }

    @Test
    void prunedModelsOfEveryIrVersionPassTheOnnxChecker() throws Exception {
        SharedFiles.assumeModels();
        OnnxChecker.assumeAvailable();
        List<Path> outputs = new ArrayList<>();
        for (Path model : SharedFiles.modelFiles()) {
            if (Files.size(model) > 5_000_000) {
                continue; // the large random-weight models add time, not IR versions
            }
            Path out = dir.resolve(model.getFileName());
            spa("prune", model.toString(), "-o", out.toString(), "--criterion", "l2", "--ratio", "0.3");
            outputs.add(out);
        }
        assertTrue(outputs.stream().anyMatch(p -> p.getFileName().toString().equals("mnist_cnn_zoo.onnx")), "the IR-3 model is among them");
        assertEquals("", OnnxChecker.check(outputs));
    }
}
