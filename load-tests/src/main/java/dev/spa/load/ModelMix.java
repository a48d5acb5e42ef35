package dev.spa.load;

import dev.spa.modelkit.GraphBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The models a load run uploads, in a repeating cycle of ten: five small generated CNNs (each with its
 * own widths), real architectures from {@code ../shared/models} of every size, and one corrupt file
 * (a real model cut in half; with {@code hostile}, in turn one of {@link HostileModels}), which must end
 * in JobFailed, not vanish.
 */
final class ModelMix {
    /** One upload: what it is called, its bytes, its size class, and whether it is meant to fail. */
    record Upload(String name, byte[] bytes, String sizeClass, boolean corrupt) {
    }

    static final String SMALL = "small (<1 MB)";
    static final String MEDIUM = "medium (1-10 MB)";
    static final String LARGE = "large (>10 MB)";
    static final String CORRUPT = "corrupt";

    private static final List<String> CYCLE = List.of("generated", "digits_mobilenet.onnx", "generated", "tiny_encoder.onnx", "generated",
            "squeezenet1_1.onnx", "generated", "corrupt", "generated", "mobilenet_v2.onnx");

    /** The hostile files a {@code --hostile} run puts in the corrupt slot and the one after it, in turn. */
    private static final List<String> HOSTILE = List.of("corrupt", "wide-sum", "conv-group-0", "declared-huge", "duplicate-names");

    private final Path models;
    private final boolean hostile;
    private int next;
    private int hostileSent;

    ModelMix(Path models, boolean hostile) {
        this.models = models;
        this.hostile = hostile;
        for (String name : CYCLE) {
            if (name.endsWith(".onnx") && !Files.isRegularFile(models.resolve(name))) {
                throw new IllegalArgumentException("the model mix needs " + models.resolve(name) + " (the shared models beside the repository)");
            }
        }
    }

    /** What the cycle holds, for the report. */
    static String describe() {
        return String.join(", ", CYCLE);
    }

    synchronized Upload next() throws IOException {
        int i = next++;
        String kind = CYCLE.get(i % CYCLE.size());
        if (hostile && i % CYCLE.size() == CYCLE.indexOf("corrupt") + 1) {
            kind = "corrupt"; // a hostile run sends two bad files per cycle, so a short run meets every kind
        }
        if (kind.equals("generated")) {
            byte[] bytes = generated(i);
            return new Upload("generated-" + i + ".onnx", bytes, sizeClass(bytes.length), false);
        }
        if (kind.equals("corrupt")) {
            String bad = hostile ? HOSTILE.get(hostileSent++ % HOSTILE.size()) : "corrupt";
            return new Upload(bad + "-" + i + ".onnx", bad.equals("corrupt") ? halfOf("squeezenet1_1.onnx") : HostileModels.build(bad), CORRUPT,
                    true);
        }
        byte[] bytes = Files.readAllBytes(models.resolve(kind));
        return new Upload(kind.replace(".onnx", "-" + i + ".onnx"), bytes, sizeClass(bytes.length), false);
    }

    private byte[] halfOf(String model) throws IOException {
        byte[] whole = Files.readAllBytes(models.resolve(model));
        return Arrays.copyOf(whole, whole.length / 2);
    }

    static List<String> sizeClasses() {
        return List.of(SMALL, MEDIUM, LARGE, CORRUPT);
    }

    private static String sizeClass(long bytes) {
        return bytes < 1_000_000 ? SMALL : bytes < 10_000_000 ? MEDIUM : LARGE;
    }

    /** Conv-ReLU-Conv-ReLU-pool-Gemm on 3x32x32 inputs, widths from the index, so each one differs. */
    private static byte[] generated(int index) {
        long c1 = 8 + 8 * (index % 4);
        long c2 = 16 + 8 * (index % 3);
        return new GraphBuilder().input("x", -1, 3, 32, 32)
                .weight("W1", c1, 3, 3, 3).weight("B1", c1).opAttrs("Conv", "a", new String[] {"x", "W1", "B1"}, "pads", new long[] {1, 1, 1, 1})
                .op("Relu", "ra", "a")
                .weight("W2", c2, c1, 3, 3).weight("B2", c2).opAttrs("Conv", "b", new String[] {"ra", "W2", "B2"}, "pads", new long[] {1, 1, 1, 1})
                .op("Relu", "rb", "b")
                .op("GlobalAveragePool", "p", "rb").opAttrs("Flatten", "f", new String[] {"p"}, "axis", 1L)
                .weight("W3", 10, c2).weight("B3", 10).opAttrs("Gemm", "y", new String[] {"f", "W3", "B3"}, "transB", 1L)
                .output("y").bytes();
    }
}
