package dev.spa.ir;

import dev.spa.SpaException;
import dev.spa.onnx.Onnx.TensorShapeProto;
import dev.spa.onnx.Onnx.ValueInfoProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shapes a user states for a model's inputs ({@code --input-shape x=1,3,48,192}, the request's {@code input_shape}).
 * A model with free dimensions (a PaddleOCR classifier's [N, 3, H, W]) is otherwise priced with each free dimension
 * at 1, so the MACs that global selection balances are not the ones it runs at. The engine works on a copy whose
 * inputs have the stated shapes (pricing, Hessian capture, verification); the model handed back keeps its own
 * declarations ({@link #handedBack}).
 */
public record InputShapes(Map<String, long[]> byName) {

    /** Parses {@code name=d0,d1,...} entries, one per input. */
    public static InputShapes parse(List<String> specs) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.lastIndexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new SpaException("input shape '" + spec + "' is not name=d0,d1,... (for example x=1,3,48,192)");
            }
            String[] parts = spec.substring(eq + 1).split(",");
            long[] dims = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    dims[i] = Long.parseLong(parts[i].trim());
                } catch (NumberFormatException e) {
                    dims[i] = 0;
                }
                if (dims[i] <= 0) {
                    throw new SpaException("input shape '" + spec + "': dimension " + i + " ('" + parts[i] + "') is not a positive whole number");
                }
            }
            if (shapes.put(spec.substring(0, eq), dims) != null) {
                throw new SpaException("input '" + spec.substring(0, eq) + "' has its shape stated twice");
            }
        }
        return new InputShapes(shapes);
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /**
     * A copy of the model whose stated inputs have the stated shapes; the same model when nothing is stated. A name
     * that is not an input, another rank, or a fixed dimension stated otherwise is an error that names it.
     */
    public Model applyTo(Model model) {
        if (isEmpty()) {
            return model;
        }
        Model copy = model.copy();
        List<ValueInfoProto> inputs = copy.graph().inputs();
        for (Map.Entry<String, long[]> e : byName.entrySet()) {
            int i = indexOf(inputs, e.getKey());
            if (i < 0) {
                throw new SpaException("input shape stated for '" + e.getKey() + "', which is not an input of the model (its inputs: "
                        + String.join(", ", inputs.stream().map(ValueInfoProto::getName).toList()) + ")");
            }
            inputs.set(i, withShape(inputs.get(i), e.getValue()));
        }
        return copy;
    }

    /**
     * The model to hand back from one made on {@link #applyTo}'s copy: a copy with the original's input declarations
     * (its free dimensions), or the same model when nothing was stated.
     */
    public Model handedBack(Model pruned, Model original) {
        if (isEmpty()) {
            return pruned;
        }
        Model copy = pruned.copy();
        List<ValueInfoProto> inputs = copy.graph().inputs();
        for (ValueInfoProto declared : original.graph().inputs()) {
            int i = indexOf(inputs, declared.getName());
            if (i >= 0) {
                inputs.set(i, declared);
            }
        }
        return copy;
    }

    /**
     * For reports: the inputs with free dimensions past the first (the batch) that nothing states, priced at 1 each,
     * or an empty string.
     */
    public String unstatedFreeDimensions(Model model) {
        List<String> free = new ArrayList<>();
        for (ValueInfoProto v : model.graph().inputs()) {
            if (byName.containsKey(v.getName()) || model.graph().isConstant(v.getName()) || !v.getType().getTensorType().hasShape()) {
                continue;
            }
            List<TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
            boolean open = dims.stream().skip(1).anyMatch(d -> !d.hasDimValue() || d.getDimValue() <= 0);
            if (open) {
                free.add(v.getName() + " " + describe(dims));
            }
        }
        return free.isEmpty() ? "" : "free input dimensions priced at 1: " + String.join("; ", free)
                + " (state the size it runs at with --input-shape NAME=d0,d1,...)";
    }

    private static ValueInfoProto withShape(ValueInfoProto v, long[] dims) {
        if (!v.getType().hasTensorType()) {
            throw new SpaException("input '" + v.getName() + "' is not a tensor: it has no shape to state");
        }
        TensorShapeProto declared = v.getType().getTensorType().getShape();
        if (v.getType().getTensorType().hasShape() && declared.getDimCount() != dims.length) {
            throw new SpaException("input '" + v.getName() + "' has " + declared.getDimCount() + " dimensions " + describe(declared.getDimList())
                    + "; the stated shape " + Arrays.toString(dims) + " has " + dims.length);
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (v.getType().getTensorType().hasShape()) {
                TensorShapeProto.Dimension d = declared.getDim(i);
                if (d.hasDimValue() && d.getDimValue() > 0 && d.getDimValue() != dims[i]) {
                    throw new SpaException("input '" + v.getName() + "' has dimension " + i + " fixed at " + d.getDimValue()
                            + "; the stated shape says " + dims[i]);
                }
            }
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i]));
        }
        ValueInfoProto.Builder b = v.toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().setShape(shape);
        return b.build();
    }

    private static int indexOf(List<ValueInfoProto> inputs, String name) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(List<TensorShapeProto.Dimension> dims) {
        return "[" + String.join(", ", dims.stream().map(d -> d.hasDimValue() && d.getDimValue() > 0 ? Long.toString(d.getDimValue())
                : d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?").toList()) + "]";
    }
}
