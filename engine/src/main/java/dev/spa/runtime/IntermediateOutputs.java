package dev.spa.runtime;

import dev.spa.ir.Model;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.onnx.Onnx.TypeProto;
import dev.spa.onnx.Onnx.ValueInfoProto;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** A model's bytes with intermediate values exposed as extra float outputs, to read them from ONNX Runtime. */
public final class IntermediateOutputs {
    private IntermediateOutputs() {
    }

    public static byte[] exposed(Model model, Collection<String> values) {
        ModelProto proto = model.toProto();
        if (values.isEmpty()) {
            return proto.toByteArray();
        }
        ModelProto.Builder b = proto.toBuilder();
        Set<String> present = new HashSet<>();
        b.getGraph().getOutputList().forEach(o -> present.add(o.getName()));
        for (String name : values) {
            if (present.add(name)) {
                b.getGraphBuilder().addOutput(ValueInfoProto.newBuilder().setName(name)
                        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))));
            }
        }
        return b.build().toByteArray();
    }
}
