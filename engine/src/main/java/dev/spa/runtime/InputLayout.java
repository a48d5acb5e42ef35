package dev.spa.runtime;

import dev.spa.SpaException;
import dev.spa.ir.Graph;
import dev.spa.ir.Model;
import dev.spa.ir.Node;
import dev.spa.ir.Shapes;
import dev.spa.ir.Tensor;
import dev.spa.onnx.Onnx.ValueInfoProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one sample of a model's inputs lies in a sample file or a batch: each input's values in the graph's input
 * order, one sample after another (a BERT's sample is its token ids, then its mask, then its type ids). Integer
 * inputs (token ids, masks) are held as floats too, exact for any vocabulary.
 */
public record InputLayout(List<Segment> segments) {
    /**
     * One input: its sample shape (without the batch axis), whether it takes integers, and for an integer input that
     * indexes an embedding table, how many rows the table has (0 for any other integer input, such as a mask).
     */
    public record Segment(String name, long[] sampleShape, boolean integer, long indexRange) {
        public int size() {
            long n = 1;
            for (long d : sampleShape) {
                if (d <= 0) {
                    throw new SpaException("the model's input '" + name + "' has a free axis besides the batch in "
                            + Arrays.toString(sampleShape) + "; state its size with --input-shape (input_shape)");
                }
                n *= d;
            }
            return (int) n;
        }
    }

    public static InputLayout of(Model model) {
        Graph graph = model.graph();
        List<Segment> segments = new ArrayList<>();
        Shapes declared = Shapes.seed(graph);
        for (ValueInfoProto input : graph.inputs()) {
            String name = input.getName();
            long[] dims = declared.get(name);
            if (dims == null || dims.length < 1) {
                throw new SpaException("the model's input '" + name + "' has no known shape");
            }
            int type = input.getType().getTensorType().getElemType();
            boolean integer = type != 1 && type != 11 && type != 10 && type != 16; // float, double, float16, bfloat16
            segments.add(new Segment(name, Arrays.copyOfRange(dims, 1, dims.length), integer, integer ? indexRange(graph, name) : 0));
        }
        return new InputLayout(segments);
    }

    /** Rows of the constant table a Gather indexes with this input, or 0 where it indexes none. */
    private static long indexRange(Graph graph, String input) {
        for (Node n : graph.consumers(input)) {
            if (n.opType().equals("Gather") && n.input(1).equals(input) && graph.isConstant(n.input(0))) {
                Tensor table = graph.constant(n.input(0));
                int axis = (int) n.attrInt("axis", 0);
                return table.dims()[axis < 0 ? axis + table.dims().length : axis];
            }
        }
        return 0;
    }

    /** Whether an input takes real numbers, which the input statistics describe. */
    public boolean takesFloats() {
        return segments.stream().anyMatch(s -> !s.integer());
    }

    /** Whether an input takes token ids (integers indexing an embedding table), as a language model's does. */
    public boolean takesTokens() {
        return segments.stream().anyMatch(s -> s.integer() && s.indexRange() > 0);
    }

    /** The single input's layout, for callers that know its sample shape alone. */
    static InputLayout single(long[] sampleShape) {
        return new InputLayout(List.of(new Segment(null, sampleShape, false, 0)));
    }

    /** This layout, its single nameless input named after the model's single input. */
    InputLayout namedFor(Model model) {
        if (segments.get(0).name() != null) {
            return this;
        }
        List<ValueInfoProto> inputs = model.graph().inputs();
        if (inputs.size() != 1) {
            throw new SpaException("samples of one input cannot be fed to a model with " + inputs.size() + " inputs ("
                    + inputs.stream().map(ValueInfoProto::getName).toList() + "): lay each sample's inputs out in turn");
        }
        return new InputLayout(List.of(new Segment(inputs.get(0).getName(), segments.get(0).sampleShape(), false, 0)));
    }

    public int sampleSize() {
        int n = 0;
        for (Segment s : segments) {
            n += s.size();
        }
        return n;
    }

    /** The first segment's sample shape, where the layout is one float input (null otherwise). */
    long[] singleFloatShape() {
        return segments.size() == 1 && !segments.get(0).integer() ? segments.get(0).sampleShape() : null;
    }

    /** A batch of {@code count} samples laid out as here, split into each input's values. */
    public Map<String, float[]> feed(float[] batch, int count) {
        if (segments.get(0).name() == null) {
            throw new IllegalStateException("samples read against a bare sample shape name no input; read them against the model's layout");
        }
        if (segments.size() == 1) {
            return Map.of(segments.get(0).name(), batch);
        }
        int sampleSize = sampleSize();
        Map<String, float[]> out = new LinkedHashMap<>();
        int offset = 0;
        for (Segment s : segments) {
            int size = s.size();
            float[] values = new float[count * size];
            for (int k = 0; k < count; k++) {
                System.arraycopy(batch, k * sampleSize + offset, values, k * size, size);
            }
            out.put(s.name(), values);
            offset += size;
        }
        return out;
    }

    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Segment s : segments) {
            parts.add(s.name() + Arrays.toString(s.sampleShape()) + (s.integer() ? " int" : ""));
        }
        return String.join(", ", parts);
    }
}
