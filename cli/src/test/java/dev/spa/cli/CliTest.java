package dev.spa.cli;

import dev.spa.ir.ModelLoader;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.onnx.Onnx;
import dev.spa.testing.SpaCli;
import dev.spa.testing.SpaCli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spa command end to end on a small model: inspect, prune with a plan beside it, verify; errors exit 1 with one line. */
class CliTest {
    @TempDir
    Path dir;

    private static Run spa(String... args) {
        return SpaCli.run(args);
    }

    private Path model() throws IOException {
        Path f = dir.resolve("cnn.onnx");
        Files.write(f, new GraphBuilder().input("x", -1, 3, 16, 16).output("y")
                .weight("W1", 16, 3, 3, 3).weight("B1", 16).op("Conv", "a", "x", "W1", "B1").op("Relu", "r", "a")
                .weight("W2", 32, 16, 3, 3).op("Conv", "b", "r", "W2").op("Relu", "r2", "b")
                .op("GlobalAveragePool", "p", "r2").op("Flatten", "f", "p")
                .weight("Wf", 10, 32).weight("Bf", 10).opAttrs("Gemm", "y", new String[] {"f", "Wf", "Bf"}, "transB", 1L).bytes());
        return f;
    }

    @Test
    void inspectPruneVerify() throws IOException {
        Path m = model();
        Run inspect = spa("inspect", m.toString(), "--json", dir.resolve("manifest.json").toString());
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("3 groups, 2 prunable"), inspect.out());
        assertTrue(Files.readString(dir.resolve("manifest.json")).contains("\"blockedReasons\""));

        Path out = dir.resolve("small.onnx");
        Run prune = spa("prune", m.toString(), "-o", out.toString(), "--criterion", "l2", "--target", "macs=0.5", "--global", "--round-to", "4");
        assertEquals(0, prune.code(), prune.err());
        assertTrue(prune.out().contains("MACs"), prune.out());
        assertTrue(Files.exists(dir.resolve("small.plan.json")));
        String plan = Files.readString(dir.resolve("small.plan.json"));
        assertTrue(plan.contains("\"W1\"") && plan.contains("\"kept\""), plan);

        Run verify = spa("verify", m.toString(), out.toString());
        assertEquals(0, verify.code(), verify.err() + verify.out());
        assertTrue(verify.out().contains("oracle deviation"), verify.out());
        Run timed = spa("verify", m.toString(), out.toString(), "--time", "--threads", "1", "--batch", "4");
        assertEquals(0, timed.code(), timed.err());
        assertTrue(timed.out().contains("pruned/original latency") && timed.out().contains("ONNX Runtime CPU, 1 intra-op thread, batch 4"),
                "the timing says how it was measured: " + timed.out());
    }

    /** A latency target and kernel rounding from the command line, with the latency model cached in a folder. */
    @Test
    void latencyTargetAndKernelRounding() throws IOException {
        Path m = model();
        String cache = dir.resolve("latency-cache").toString();
        Run latency = spa("prune", m.toString(), "-o", dir.resolve("fast.onnx").toString(), "--criterion", "l2", "--target", "latency=0.7",
                "--latency-threads", "1", "--latency-cache", cache, "--best-effort"); // timed on a shared machine: met or not, it reports
        assertEquals(0, latency.code(), latency.err());
        assertTrue(latency.err().contains("latency model on ONNX Runtime CPU, 1 intra-op thread, batch 1") && latency.err().contains("measured now"),
                latency.err());
        assertTrue(latency.out().contains("latency target 0.70") && latency.out().contains("interleaved rounds"),
                "the report says what was measured and how: " + latency.out());
        Run rounded = spa("prune", m.toString(), "-o", dir.resolve("rounded.onnx").toString(), "--criterion", "l2", "--target", "macs=0.5",
                "--global", "--round-to", "kernels", "--latency-threads", "1", "--latency-cache", cache);
        assertEquals(0, rounded.code(), rounded.err());
        assertTrue(rounded.err().contains("rounding kept counts up to the kernel steps on ONNX Runtime CPU, 1 intra-op thread, batch 1:"),
                rounded.err());
        Run both = spa("prune", m.toString(), "-o", dir.resolve("x.onnx").toString(), "--target", "latency=0.5", "--round-to", "kernels");
        assertEquals(1, both.code());
        assertTrue(both.err().contains("a latency target rounds to the kernels' steps by itself"), both.err());
    }

    @Test
    void errorsAreOneLineAndExitNonZero() throws IOException {
        Path m = model();
        Run noOut = spa("prune", m.toString());
        assertEquals(1, noOut.code());
        assertTrue(noOut.err().startsWith("spa: error: missing output file"), noOut.err());
        Run badTarget = spa("prune", m.toString(), "-o", dir.resolve("o.onnx").toString(), "--target", "flops=2");
        assertEquals(1, badTarget.code());
        assertTrue(badTarget.err().contains("target kind 'flops' is unknown"), badTarget.err());
        Run badCriterion = spa("prune", m.toString(), "-o", dir.resolve("o.onnx").toString(), "--criterion", "magic");
        assertTrue(badCriterion.err().contains("criterion 'magic' is unknown"), badCriterion.err());
        Files.write(dir.resolve("junk.onnx"), new byte[] {1, 2, 3});
        Run junk = spa("inspect", dir.resolve("junk.onnx").toString());
        assertEquals(1, junk.code());
        assertEquals(1, junk.err().trim().lines().filter(l -> l.startsWith("spa: error")).count(), junk.err());
        assertEquals(2, spa().code());
    }

    /** A target no cut reaches is an error with the reason and nothing written, unless --best-effort asks for the closest cut. */
    @Test
    void anUnreachableTargetExitsNonZeroUnlessBestEffortIsAsked() throws IOException {
        Path m = model();
        Path out = dir.resolve("tiny.onnx");
        Run unreachable = spa("prune", m.toString(), "-o", out.toString(), "--criterion", "l2", "--target", "macs=0.02", "--global");
        assertEquals(1, unreachable.code(), unreachable.out());
        assertTrue(unreachable.err().contains("the target macs=0.02 was not reached") && unreachable.err().contains("% kept")
                && unreachable.err().contains("nothing was written"), unreachable.err());
        assertFalse(Files.exists(out), "no file a script could take for the model it asked for");

        Run closest = spa("prune", m.toString(), "-o", out.toString(), "--criterion", "l2", "--target", "macs=0.02", "--global", "--best-effort");
        assertEquals(0, closest.code(), closest.err());
        assertTrue(closest.out().contains("warning: the target macs=0.02 was not reached"), closest.out());
        assertTrue(Files.exists(out));

        Path whole = dir.resolve("one-conv.onnx"); // its only Conv writes the graph's output: no group can be cut
        Files.write(whole, new GraphBuilder().input("x", -1, 3, 8, 8).output("y").weight("W", 4, 3, 3, 3).op("Conv", "y", "x", "W").bytes());
        Run nothing = spa("prune", whole.toString(), "-o", dir.resolve("same.onnx").toString(), "--target", "macs=0.5");
        assertEquals(1, nothing.code(), nothing.out());
        assertTrue(nothing.err().contains("no group of this model can be pruned"), nothing.err());
    }

    /**
     * --input-shape prices a model with free H and W at the size it runs at: the MACs inspect reports are the ones counted
     * by hand (two valid 3x3 Convs on 48x192, then a Gemm), not those at H = W = 1; the pruned model keeps its free dimensions.
     */
    @Test
    void aStatedInputShapePricesTheModelAtThatSizeAndTheModelKeepsItsFreeDimensions() throws IOException {
        Path m = dir.resolve("free.onnx");
        Files.write(m, new GraphBuilder().input("x", -1, 3, -1, -1).output("y")
                .weight("W1", 16, 3, 3, 3).op("Conv", "a", "x", "W1").op("Relu", "r", "a")
                .weight("W2", 32, 16, 3, 3).op("Conv", "b", "r", "W2").op("Relu", "r2", "b")
                .op("GlobalAveragePool", "p", "r2").op("Flatten", "f", "p")
                .weight("Wf", 10, 32).opAttrs("Gemm", "y", new String[] {"f", "Wf"}, "transB", 1L).bytes());
        long byHand = 16L * 3 * 9 * 46 * 190 + 32L * 16 * 9 * 44 * 188 + 32 * 10;
        Run unstated = spa("inspect", m.toString());
        assertEquals(0, unstated.code(), unstated.err());
        assertTrue(unstated.out().contains("free input dimensions priced at 1: x [N, 3, N, N]"), unstated.out());
        Run stated = spa("inspect", m.toString(), "--input-shape", "x=1,3,48,192");
        assertEquals(0, stated.code(), stated.err());
        assertTrue(stated.out().contains(String.format("MACs %.3fM", byHand / 1e6)), byHand + ": " + stated.out());
        assertFalse(stated.out().contains("free input dimensions"), stated.out());

        Path out = dir.resolve("free-pruned.onnx");
        Run prune = spa("prune", m.toString(), "-o", out.toString(), "--criterion", "l2", "--target", "macs=0.5", "--input-shape", "x=1,3,48,192");
        assertEquals(0, prune.code(), prune.err());
        assertTrue(prune.out().contains(String.format("%.3fM", byHand / 1e6)), prune.out());
        Onnx.ValueInfoProto input = new ModelLoader().load(out).graph().inputs().get(0);
        assertEquals("N", input.getType().getTensorType().getShape().getDim(2).getDimParam(), "handed back with its own free H: " + input);

        Run wrongRank = spa("inspect", m.toString(), "--input-shape", "x=3,48,192");
        assertEquals(1, wrongRank.code());
        assertTrue(wrongRank.err().contains("input 'x' has 4 dimensions"), wrongRank.err());
        Run fixedDiffers = spa("inspect", m.toString(), "--input-shape", "x=1,4,48,192");
        assertTrue(fixedDiffers.err().contains("dimension 1 fixed at 3"), fixedDiffers.err());
        Run noSuchInput = spa("inspect", m.toString(), "--input-shape", "image=1,3,48,192");
        assertTrue(noSuchInput.err().contains("'image', which is not an input of the model (its inputs: x)"), noSuchInput.err());
    }
}
