package dev.spa.obspa;

import dev.spa.testing.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OBSPA's memory is bounded by the largest layer, not the sum of all: a chain of ten 3x3 Convs of 256
 * channels (24 MB of weights; every consumer's H⁻¹ 21 MB, 190 MB for the nine of them, twice that with
 * their Hessians) prunes data-free in a heap that cannot hold its inverses all at once, in a separate
 * JVM of that heap. The same run told to keep every inverse in memory fails in that heap, which shows
 * the heap is too small for the unbounded way.
 */
class ObspaMemoryBoundTest {
    private static final int LAYERS = 10;
    private static final int CHANNELS = 256;
    private static final String HEAP = "-Xmx200m";

    @TempDir
    Path dir;

    @Test
    void aModelWhoseInversesExceedTheHeapPrunesWithThemSpilled() throws Exception {
        Path model = dir.resolve("chain.onnx");
        Files.write(model, chain());
        Run bounded = prune(model, "-Dspa.obspa.inverse-cache-mb=40");
        assertEquals(0, bounded.code(), "bounded OBSPA in " + HEAP + ":\n" + bounded.output());
        assertTrue(bounded.output().contains("MACs") && bounded.output().contains("go to a temporary file"), bounded.output());

        System.out.println("bounded OBSPA in " + HEAP + ":\n" + bounded.output());
        Run cachingAll = prune(model, "-Dspa.obspa.inverse-cache-mb=100000");
        System.out.println("every inverse cached, in " + HEAP + " (exit " + cachingAll.code() + "):\n" + cachingAll.output());
        assertNotEquals(0, cachingAll.code(), "caching every inverse should not fit in " + HEAP + ":\n" + cachingAll.output());
        assertTrue(cachingAll.output().contains("memory"), "it fails for want of memory, not something else:\n" + cachingAll.output());
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
