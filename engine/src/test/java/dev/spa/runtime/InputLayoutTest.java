package dev.spa.runtime;

import dev.spa.SpaException;
import dev.spa.ir.Model;
import dev.spa.modelkit.GraphBuilder;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Samples of a model with several inputs, token ids among them: laid out, split, drawn and run. */
class InputLayoutTest {
    @TempDir
    Path tmp;

    private static Model tokenModel() {
        return GraphBuilder.tokenModel();
    }

    @Test
    void layoutNamesEachInputAndFindsTheVocabulary() {
        InputLayout layout = InputLayout.of(tokenModel());
        assertEquals(2, layout.segments().size());
        InputLayout.Segment ids = layout.segments().get(0);
        assertEquals("ids", ids.name());
        assertTrue(ids.integer());
        assertEquals(50, ids.indexRange(), "the rows of the table it indexes");
        assertEquals(0, layout.segments().get(1).indexRange(), "the mask indexes nothing");
        assertEquals(8, layout.sampleSize());
    }

    @Test
    void aBatchIsSplitPerInputSampleBySample() {
        InputLayout layout = InputLayout.of(tokenModel());
        float[] batch = {1, 2, 3, 4, 1, 1, 0, 0, 5, 6, 7, 8, 1, 0, 0, 0};
        Map<String, float[]> feed = layout.feed(batch, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, feed.get("ids"));
        assertArrayEquals(new float[] {1, 1, 0, 0, 1, 0, 0, 0}, feed.get("mask"));
    }

    @Test
    void syntheticTokensIndexTheVocabularyAndMasksAttendEverywhereAndTheModelRuns() {
        Model model = tokenModel();
        SampleBatches samples = SampleBatches.synthetic(InputLayout.of(model), 16, InputStatistics.DEFAULT, 3, true);
        boolean[] varied = {false};
        try (OnnxRunner runner = OnnxRunner.of(model, 1)) {
            samples.forEachBatch(8, (data, count) -> {
                Map<String, float[]> feed = samples.feed(data, count);
                for (float id : feed.get("ids")) {
                    assertTrue(id >= 0 && id < 50 && id == Math.rint(id), "token id " + id);
                    varied[0] |= id != feed.get("ids")[0];
                }
                for (float m : feed.get("mask")) {
                    assertEquals(1f, m);
                }
                assertEquals(count * 4 * 3, runner.run(feed, count).values().get("y").length);
            });
        }
        assertTrue(varied[0], "ids drawn, not constant");
        assertFalse(SampleBatches.describeSynthetic(InputLayout.of(model)).isEmpty());
    }

    @Test
    void samplesOfOneInputCannotBeFedToAModelWithSeveral() {
        SampleBatches single = SampleBatches.gaussian(new long[] {4}, 2, InputStatistics.DEFAULT, 1);
        var e = Assertions.assertThrows(SpaException.class, () -> single.named(tokenModel()));
        assertTrue(e.getMessage().contains("[ids, mask]"), e.getMessage());
        assertEquals(List.of("x"), List.copyOf(single.named(new GraphBuilder().input("x", -1, 4).output("y").op("Relu", "y", "x").model())
                .feed(new float[8], 2).keySet()));
    }
}
