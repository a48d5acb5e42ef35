package dev.spa.obspa;

import dev.spa.modelkit.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OBSPA's memory is bounded by the layers' structure, not by the sum of their n²: a chain of ten 3x3 Convs of 256
 * channels (24 MB of weights; every consumer's H⁻¹ written out is 21 MB, 190 MB for the nine of them, twice that
 * with their Hessians) prunes data-free, in a separate JVM, in a heap that cannot hold those inverses all at once,
 * even when told to keep every inverse in memory. Until data-free Hessians stayed in Kronecker form (9 matrices of
 * 256 x 256 per layer, 2.4 MB, never written out by greedy removal or the update) this test showed the opposite:
 * caching every inverse failed in this heap for want of memory, and only spilling them to disk fitted.
 */
class ObspaMemoryBoundTest {
    private static final int LAYERS = 10;
    private static final int CHANNELS = 256;
    private static final String HEAP = "-Xmx200m";

    @TempDir
    Path dir;

    @Test
    void aModelWhoseWrittenOutInversesExceedTheHeapPrunesWithEveryInverseCached() throws Exception {
        Path model = dir.resolve("chain.onnx");
        Files.write(model, chain());
        long columns = CHANNELS * 9L;
        long writtenOut = (LAYERS - 1) * columns * columns * Float.BYTES;
        assertTrue(writtenOut + Files.size(model) > 200L * 1024 * 1024, "the written-out inverses and the model must not fit " + HEAP);
        for (String cache : List.of("-Dspa.obspa.inverse-cache-mb=40", "-Dspa.obspa.inverse-cache-mb=100000")) {
            Run run = prune(model, cache);
            System.out.println("OBSPA data-free in " + HEAP + " with " + cache + ":\n" + run.output());
            assertEquals(0, run.code(), "OBSPA data-free in " + HEAP + " with " + cache + ":\n" + run.output());
            assertTrue(run.output().contains("MACs") && run.output().contains("criterion obspa"), run.output());
            assertFalse(run.output().contains("go to a temporary file"), "nothing is spilled:\n" + run.output());
        }
    }

    private static byte[] chain() {
        GraphBuilder b = new GraphBuilder().input("x", 1, CHANNELS, 8, 8);
        String previous = "x";
        for (int i = 0; i < LAYERS; i++) {
            b.weight("W" + i, CHANNELS, CHANNELS, 3, 3).opAttrs("Conv", "c" + i, new String[] {previous, "W" + i}, "pads", new long[] {1, 1, 1, 1});
            previous = "r" + i;
            b.op("Relu", previous, "c" + i);
        }
        return b.output(previous).bytes();
    }

    private record Run(int code, String output) {
    }

    private Run prune(Path model, String cacheOption) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve("run.log");
        Process p = new ProcessBuilder(List.of(java.toString(), HEAP, cacheOption, "-cp", System.getProperty("java.class.path"),
                "dev.spa.cli.Main", "prune", model.toString(), "-o", dir.resolve("pruned.onnx").toString(), "--criterion", "obspa",
                "--data-free", "--target", "macs=0.5", "--round-to", "1"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the prune did not finish in 5 minutes");
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
