package dev.spa.pruning;

import dev.spa.SpaException;
import dev.spa.events.manifest.GroupPlan;
import dev.spa.events.manifest.PlanRecord;
import dev.spa.groups.Analysis;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.ir.Tensor;
import dev.spa.manifest.ManifestWriter;
import dev.spa.plan.PruningPlan;
import dev.spa.policy.BuiltPolicy;
import dev.spa.policy.Compute;
import dev.spa.policy.CriterionKind;
import dev.spa.policy.PruningPolicy;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.surgery.Surgery;
import dev.spa.surgery.UpdatedTensors;
import dev.spa.testing.SharedFiles;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform prunes in two places: the scorer plans and stores the tensors OBSPA changed, the
 * exporter re-reads the plan and those tensors and cuts. That must give the very model one call gives.
 */
class SplitPruningTest {
    private static Analysis digits() {
        SharedFiles.assumeDigits();
        return Analysis.of(new ModelLoader().load(SharedFiles.models().resolve("digits_mobilenet.onnx")));
    }

    @Test
    void planAndStoredTensorsGiveTheSameModelAsOneCall() {
        Analysis analysis = digits();
        SelectionOptions selection = new SelectionOptions(Target.parse("macs=0.5"), true, 1, 1, Set.of());
        PruningPolicy policy = PruningPolicy.builder(CriterionKind.OBSPA, selection).inputStatistics(0.3, 0.38).build();
        BuiltPolicy parts = BuiltPolicy.build(policy, analysis, Compute.cpu(), s -> { });
        Pruner pruner = new Pruner(s -> { });
        Model whole = pruner.prune("digits", analysis, parts.scorer(), selection, parts.update()).pruned();

        Pruner.Planned planned = pruner.plan("digits", analysis, parts.scorer(), selection);
        List<Tensor> updated = UpdatedTensors.of(analysis, planned.plan(), parts.update());
        assertFalse(updated.isEmpty(), "OBSPA changes some kept weights");
        byte[] stored = UpdatedTensors.toBytes(updated);
        PlanRecord record = ManifestWriter.parsePlan(ManifestWriter.json(planned.record()));

        Analysis again = Analysis.of(new ModelLoader().load(SharedFiles.models().resolve("digits_mobilenet.onnx")));
        PruningPlan reread = PruningPlan.of(record, again);
        Model split = Surgery.apply(again, reread, UpdatedTensors.replacing(UpdatedTensors.fromBytes(stored), "stored"));
        assertArrayEquals(whole.toBytes(), split.toBytes());
    }

    @Test
    void aPlanForAnotherModelIsRefusedWithTheGroupNamed() {
        Analysis analysis = digits();
        PlanRecord wrong = PlanRecord.newBuilder().addGroups(GroupPlan.newBuilder().setId(9999).setChannels(3).addKept(0)).build();
        SpaException e = assertThrows(SpaException.class, () -> PruningPlan.of(wrong, analysis));
        assertTrue(e.getMessage().contains("group 9999"), e.getMessage());
    }
}
