package dev.spa.surgery;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.spa.SpaException;
import dev.spa.groups.Analysis;
import dev.spa.ir.Graph;
import dev.spa.ir.Model;
import dev.spa.ir.Tensor;
import dev.spa.onnx.Onnx.GraphProto;
import dev.spa.onnx.Onnx.TensorProto;
import dev.spa.plan.PruningPlan;
import dev.spa.rules.Dim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A weight update computed in one place and applied in another: the scorer runs the update (OBSPA)
 * and stores only the tensors it changed, at their original shapes; the exporter puts them back
 * before the surgery slices them. Stored as an ONNX GraphProto holding just those initializers.
 */
public final class UpdatedTensors {
    private UpdatedTensors() {
    }

    /** The constants that {@code update} replaces when the plan is applied, found by running it on a copy. */
    public static List<Tensor> of(Analysis analysis, PruningPlan plan, WeightUpdate update) {
        if (update == WeightUpdate.NONE) {
            return List.of();
        }
        Model copy = analysis.model().copy();
        Map<Dim, int[]> kept = plan.keptPositions(analysis.groups());
        update.apply(copy, kept);
        Graph original = analysis.model().graph();
        List<Tensor> changed = new ArrayList<>();
        // tensors are immutable and the copy shares them: a different object is an updated tensor
        copy.graph().constants().forEach((name, t) -> {
            if (original.constant(name) != t) {
                changed.add(t);
            }
        });
        return changed;
    }

    /** A weight update that puts the stored tensors back; each must exist with the same shape. */
    public static WeightUpdate replacing(List<Tensor> tensors, String name) {
        return new WeightUpdate() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void apply(Model model, Map<Dim, int[]> kept) {
                Graph graph = model.graph();
                for (Tensor t : tensors) {
                    Tensor old = graph.constant(t.name());
                    if (old == null || !Arrays.equals(old.dims(), t.dims())) {
                        throw new SpaException("updated tensor " + t.name() + " " + Arrays.toString(t.dims())
                                + " does not match the model's " + (old == null ? "(absent)" : Arrays.toString(old.dims())));
                    }
                    graph.putConstant(t);
                }
            }
        };
    }

    public static byte[] toBytes(List<Tensor> tensors) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("updated-tensors");
        tensors.forEach(t -> g.addInitializer(t.toProto()));
        return g.build().toByteArray();
    }

    public static List<Tensor> fromBytes(byte[] bytes) {
        try {
            List<Tensor> out = new ArrayList<>();
            for (TensorProto p : GraphProto.parseFrom(bytes).getInitializerList()) {
                out.add(Tensor.fromProto(p, null));
            }
            return out;
        } catch (InvalidProtocolBufferException e) {
            throw new SpaException("updated tensors are not a GraphProto: " + e.getMessage(), e);
        }
    }
}
