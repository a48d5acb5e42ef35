package dev.spa.runtime;

import dev.spa.SpaException;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.StringStringEntryProto;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a data-free job's input statistics come from: stated, the model's own normalisation, its metadata, the default. */
class InputStatisticsTest {
    private static GraphBuilder conv(GraphBuilder b, String input) {
        return b.weight("W", 4, 3, 3, 3).op("Conv", "y", input, "W");
    }

    @Test
    void aSubThenDivAtTheInputGivesPerChannelMeanAndStd() {
        Model m = conv(new GraphBuilder().input("x", -1, 3, 8, 8).output("y")
                .floats("m", new long[] {3, 1, 1}, new float[] {0.485f, 0.456f, 0.406f})
                .floats("s", new long[] {3, 1, 1}, new float[] {0.229f, 0.224f, 0.225f})
                .op("Sub", "c", "x", "m").op("Div", "n", "c", "s"), "n").model();
        InputStatistics stats = InputStatistics.resolve(m, null);
        assertArrayEquals(new double[] {0.485, 0.456, 0.406}, stats.mean(), 1e-6);
        assertArrayEquals(new double[] {0.229, 0.224, 0.225}, stats.std(), 1e-6);
        assertTrue(stats.source().startsWith("graph"), stats.source());
        assertTrue(stats.describe().contains("[0.4850, 0.4560, 0.4060]"), stats.describe());
    }

    @Test
    void aMulByTheReciprocalAndABatchNormalizationAtTheInputCountToo() {
        Model mul = conv(new GraphBuilder().input("x", -1, 3, 8, 8).output("y")
                .floats("m", new long[] {1}, new float[] {127f}).floats("s", new long[] {1}, new float[] {1 / 128f})
                .op("Sub", "c", "x", "m").op("Mul", "n", "c", "s"), "n").model();
        InputStatistics a = InputStatistics.resolve(mul, null);
        assertEquals(127, a.meansFor(3)[2], 1e-4);
        assertEquals(128, a.stdsFor(3)[0], 1e-3);
        Model bn = conv(new GraphBuilder().input("x", -1, 3, 8, 8).output("y")
                .floats("g", new long[] {3}, new float[] {1, 1, 1}).floats("b", new long[] {3}, new float[] {0, 0, 0})
                .floats("mu", new long[] {3}, new float[] {1, 2, 3}).floats("var", new long[] {3}, new float[] {4, 9, 16})
                .opAttrs("BatchNormalization", "n", new String[] {"x", "g", "b", "mu", "var"}, "epsilon", 0f), "n").model();
        InputStatistics b = InputStatistics.resolve(bn, null);
        assertArrayEquals(new double[] {1, 2, 3}, b.mean(), 1e-6);
        assertArrayEquals(new double[] {2, 3, 4}, b.std(), 1e-6);
    }

    @Test
    void metadataThenTheDefaultAndWhatTheUserStatesWins() {
        GraphBuilder plain = conv(new GraphBuilder().input("x", -1, 3, 8, 8).output("y"), "x");
        ModelProto withMeta = plain.proto().toBuilder()
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("image_mean").setValue("[0.5, 0.5, 0.5]"))
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("image_std").setValue("0.25,0.25,0.25")).build();
        Model meta = new ModelLoader().load(withMeta.toByteArray(), null, "meta");
        InputStatistics fromMeta = InputStatistics.resolve(meta, null);
        assertEquals("metadata", fromMeta.source());
        assertArrayEquals(new double[] {0.25, 0.25, 0.25}, fromMeta.std(), 1e-9);
        assertEquals(InputStatistics.DEFAULT, InputStatistics.resolve(plain.model(), null));
        InputStatistics stated = InputStatistics.stated("0.1", "0.2");
        assertEquals(stated, InputStatistics.resolve(meta, stated));
    }

    @Test
    void statisticsThatDoNotFitTheInputAreRefusedWithTheCounts() {
        InputStatistics two = InputStatistics.stated("0.1,0.2", "1");
        SpaException e = assertThrows(SpaException.class, () -> two.requireChannels(3, "x"));
        assertTrue(e.getMessage().contains("2 channels") && e.getMessage().contains("3"), e.getMessage());
        assertThrows(SpaException.class, () -> InputStatistics.stated("0", "0"));
        assertThrows(SpaException.class, () -> InputStatistics.stated("a", "1"));
    }

    @Test
    void syntheticInputsHaveThePerChannelStatistics() {
        SampleBatches s = SampleBatches.gaussian(new long[] {2, 16, 16}, 200, InputStatistics.stated("1,-3", "0.5,2"), 1);
        double[][] sums = new double[2][2];
        s.forEachBatch(200, (data, count) -> {
            for (int i = 0; i < data.length; i++) {
                int c = (i % 512) / 256;
                sums[c][0] += data[i];
                sums[c][1] += data[i] * data[i];
            }
        });
        double n = 200 * 256;
        assertEquals(1, sums[0][0] / n, 0.01);
        assertEquals(-3, sums[1][0] / n, 0.03);
        assertEquals(2, Math.sqrt(sums[1][1] / n - 9), 0.03);
    }
}
