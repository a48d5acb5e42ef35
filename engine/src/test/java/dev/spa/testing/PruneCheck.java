package dev.spa.testing;

import dev.spa.events.manifest.PlanRecord;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.ir.Model;
import dev.spa.manifest.ManifestWriter;
import dev.spa.plan.PruningPlan;
import dev.spa.runtime.IntermediateOutputs;
import dev.spa.runtime.ModelOutputs;
import dev.spa.runtime.OnnxRunner;
import dev.spa.surgery.Oracle;
import dev.spa.surgery.Surgery;
import dev.spa.verify.Verification;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared test steps: random plans, running models in ONNX Runtime, the oracle comparison. */
public final class PruneCheck {
    private PruneCheck() {
    }

    /** Removes a random share (up to half) of the channels of every group the oracle applies to. */
    public static PruningPlan randomOraclePlan(Analysis analysis, long seed) {
        Random random = new Random(seed);
        Map<Integer, int[]> kept = new LinkedHashMap<>();
        for (Group g : analysis.groups()) {
            if (!Oracle.applies(g)) {
                continue;
            }
            int keep = Math.max(1, g.channels() - 1 - random.nextInt(Math.max(1, g.channels() / 2)));
            List<Integer> all = new ArrayList<>();
            for (int c = 0; c < g.channels(); c++) {
                all.add(c);
            }
            Collections.shuffle(all, random);
            kept.put(g.id(), all.subList(0, keep).stream().mapToInt(Integer::intValue).sorted().toArray());
        }
        return new PruningPlan(kept);
    }

    public static ModelOutputs run(Model model, Map<String, float[]> inputs, int batch, List<String> extraOutputs) {
        try (OnnxRunner runner = new OnnxRunner(IntermediateOutputs.exposed(model, extraOutputs), 2)) {
            return runner.run(inputs, batch);
        }
    }

    public static Map<String, float[]> inputs(Model model, int batch, long seed) {
        try (OnnxRunner runner = new OnnxRunner(model.toBytes(), 1)) {
            return runner.randomInputs(batch, seed);
        }
    }

    /**
     * Applies the plan and checks the oracle: the pruned model's outputs (and the extra observed
     * values, for models whose outputs carry no signal) equal the zeroed original's.
     */
    public static double oracleError(Analysis analysis, PruningPlan plan, List<String> observe) {
        Model pruned = Surgery.apply(analysis, plan);
        PlanRecord record = ManifestWriter.plan("test", "test", "test", analysis, plan);
        Model reference = Oracle.zeroedReference(analysis.model(), record);
        Map<String, float[]> in = inputs(analysis.model(), 2, 99);
        Verification v;
        try (OnnxRunner expected = new OnnxRunner(IntermediateOutputs.exposed(reference, observe), 2);
             OnnxRunner actual = new OnnxRunner(IntermediateOutputs.exposed(pruned, observe), 2)) {
            v = Verification.compare(expected, actual, in, 2, null);
        }
        assertEquals(List.of(), v.shapeMismatches());
        double err = v.deviation();
        assertTrue(err < 1e-4, "oracle deviation " + err);
        return err;
    }
}
