package dev.spa.fuzz;

import dev.spa.ir.ModelLoader;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile variants of small graphs and of the small shared models through load, analysis and surgery:
 * nothing but the engine's own error, no case past its deadline, nothing read outside the model's
 * folder. Bounded here (spa.fuzz.cases, spa.fuzz.seconds); `bench/run-fuzz` runs it for long.
 */
class FuzzTest {
    private static final List<String> SHARED_SEEDS = List.of("mnist_cnn_zoo.onnx", "digits_mobilenet.onnx", "tiny_encoder.onnx",
            "wakeword_mlp_layernorm.onnx", "cifar10_convnet_kw.onnx");
    private static final long[] PAD1 = {1, 1, 1, 1};

    @TempDir
    Path dir;

    /** Small graphs covering the operator families the rules follow. */
    static List<ModelProto> builtSeeds() {
        List<ModelProto> seeds = new ArrayList<>();
        seeds.add(new GraphBuilder().input("x", -1, 3, 8, 8).output("y").weight("W1", 8, 3, 3, 3).weight("B1", 8)
                .opAttrs("Conv", "h", new String[] {"x", "W1", "B1"}, "pads", PAD1)
                .weight("g", 8).weight("b", 8).weight("m", 8).positive("v", 8).op("BatchNormalization", "n", "h", "g", "b", "m", "v")
                .op("Relu", "r", "n").weight("W2", 8, 8, 3, 3).opAttrs("Conv", "c", new String[] {"r", "W2"}, "pads", PAD1)
                .op("Add", "s", "c", "r").op("GlobalAveragePool", "p", "s").op("Flatten", "f", "p").weight("G", 4, 8).weight("gb", 4)
                .opAttrs("Gemm", "y", new String[] {"f", "G", "gb"}, "transB", 1L).proto());
        seeds.add(new GraphBuilder().input("x", -1, 6).output("y").weight("A", 6, 12).op("MatMul", "a", "x", "A")
                .node("Split", new String[] {"a"}, new String[] {"p", "q"}, "axis", 1L).op("Mul", "m", "p", "q")
                .op("Concat", "c", "m", "p").weight("B", 12, 3).op("MatMul", "y", "c", "B").proto());
        seeds.add(new GraphBuilder().input("x", 1, 4, 8).output("y").weight("Q", 8, 8).op("MatMul", "q", "x", "Q")
                .longs("shape", 1, 4, 2, 4).op("Reshape", "r", "q", "shape").opAttrs("Transpose", "t", new String[] {"r"}, "perm",
                        new long[] {0, 2, 1, 3}).opAttrs("Softmax", "s", new String[] {"t"}, "axis", -1L)
                .opAttrs("Transpose", "u", new String[] {"s"}, "perm", new long[] {0, 2, 1, 3}).longs("back", 1, 4, 8)
                .op("Reshape", "v", "u", "back").weight("O", 8, 8).op("MatMul", "y", "v", "O").proto());
        return seeds;
    }

    static List<ModelProto> seeds() throws Exception {
        List<ModelProto> seeds = builtSeeds();
        for (String name : SHARED_SEEDS) {
            Path file = SharedFiles.models().resolve(name);
            if (Files.isRegularFile(file)) {
                seeds.add(ModelProto.parseFrom(Files.readAllBytes(file)));
            }
        }
        return seeds;
    }

    @Test
    void hostileVariantsGetTheEnginesOwnErrorOrAValidCut() throws Exception {
        long cases = Long.getLong("spa.fuzz.cases", 20000);
        Duration budget = Duration.ofSeconds(Long.getLong("spa.fuzz.seconds", 120));
        long seed = Long.getLong("spa.fuzz.seed", 20261201L);
        List<ModelProto> seeds = seeds();
        for (ModelProto s : seeds) {
            new ModelLoader().load(s.toByteArray(), null, "seed");
        }
        Fuzzer.Summary summary;
        try (Fuzzer fuzzer = new Fuzzer(dir)) {
            summary = fuzzer.run(seeds, cases, budget, Duration.ofSeconds(20), seed);
        }
        System.out.println(String.format(Locale.ROOT, "fuzz: %d cases in %.1f s (%.0f per second) from %d seeds, seed %d: %d refused with"
                        + " the engine's error, %d loaded, %d cut and written; %d findings", summary.cases(), summary.seconds(),
                summary.cases() / summary.seconds(), seeds.size(), seed, summary.refused(), summary.loaded(), summary.cut(),
                summary.findings().size()));
        summary.findings().stream().limit(20).forEach(f -> System.out.println("  case " + f.caseNumber() + ": " + f.what()));
        assertTrue(summary.cases() >= Math.min(cases, 100), "the budget ran at least 100 cases: " + summary.cases());
        assertEquals(List.of(), summary.findings());
    }
}
