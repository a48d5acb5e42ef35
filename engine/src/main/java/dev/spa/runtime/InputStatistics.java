package dev.spa.runtime;

import dev.spa.SpaException;
import dev.spa.ir.Graph;
import dev.spa.ir.Model;
import dev.spa.ir.Node;
import dev.spa.ir.Tensor;
import dev.spa.onnx.Onnx.StringStringEntryProto;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a job assumes of the model's input when it has no data: per-channel mean and standard
 * deviation (one value for all channels, or one per channel on axis 1), and where they came from.
 * Data-free Hessians and synthetic reference inputs both start from it, and reports state it.
 *
 * @param source stated (by the user), graph (a normalisation at the model's input), metadata
 *               (the model's metadata_props) or default
 */
public record InputStatistics(double[] mean, double[] std, String source) {
    public static final InputStatistics DEFAULT = new InputStatistics(new double[] {0}, new double[] {1}, "default");

    public InputStatistics {
        if (mean.length == 0 || std.length == 0) {
            throw new SpaException("input statistics need at least one mean and one standard deviation");
        }
        if (mean.length != std.length && mean.length != 1 && std.length != 1) {
            throw new SpaException("input statistics give " + mean.length + " means but " + std.length + " standard deviations");
        }
        for (double s : std) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new SpaException("input standard deviations must be positive and finite, not " + Arrays.toString(std));
            }
        }
        for (double m : mean) {
            if (!Double.isFinite(m)) {
                throw new SpaException("input means must be finite, not " + Arrays.toString(mean));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Parses what a user states: "0.5" or "0.485,0.456,0.406". */
    public static InputStatistics stated(String means, String stds) {
        return new InputStatistics(numbers(means, "input mean"), numbers(stds, "input std"), "stated");
    }

    public static InputStatistics stated(double[] means, double[] stds) {
        return new InputStatistics(means, stds, "stated");
    }

    private static double[] numbers(String text, String what) {
        try {
            return Arrays.stream(text.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new SpaException(what + " '" + text + "' is not a number or a comma-separated list of numbers");
        }
    }

    /**
     * The statistics a data-free job assumes: what the user stated, else a normalisation the model
     * applies to its input (Sub then Div, or a BatchNormalization), else mean/std pairs in its
     * metadata, else the default N(0, 1).
     */
    public static InputStatistics resolve(Model model, InputStatistics stated) {
        if (stated != null) {
            return stated;
        }
        InputStatistics fromGraph = fromGraph(model.graph());
        if (fromGraph != null) {
            return fromGraph;
        }
        InputStatistics fromMetadata = fromMetadata(model.header().getMetadataPropsList());
        return fromMetadata != null ? fromMetadata : DEFAULT;
    }

    /** {@link #resolve}, checked against the channels (axis 1) of the model's input. */
    public static InputStatistics forModel(Model model, InputStatistics stated) {
        InputStatistics stats = resolve(model, stated);
        long[] sample = SampleBatches.sampleShapeOrNull(model);
        if (sample != null && sample.length > 0 && sample[0] > 0) {
            stats.requireChannels((int) sample[0], model.graph().inputs().get(0).getName());
        }
        return stats;
    }

    /** The input's mean and std as the model normalises it: x feeds Sub(x, m) then Div(., s), or BatchNormalization. */
    static InputStatistics fromGraph(Graph graph) {
        if (graph.inputs().size() != 1) {
            return null;
        }
        List<Node> readers = graph.consumers(graph.inputs().get(0).getName());
        if (readers.size() != 1) {
            return null;
        }
        Node first = readers.get(0);
        if (first.opType().equals("BatchNormalization") && first.inputs().size() >= 5) {
            double[] mean = floats(graph, first.input(3));
            double[] var = floats(graph, first.input(4));
            if (mean == null || var == null) {
                return null;
            }
            double eps = first.attrFloat("epsilon", 1e-5f);
            return new InputStatistics(mean, Arrays.stream(var).map(v -> Math.sqrt(v + eps)).toArray(),
                    "graph: BatchNormalization '" + first.name() + "' at the input");
        }
        if (!first.opType().equals("Sub") || !first.input(0).equals(graph.inputs().get(0).getName())) {
            return null;
        }
        double[] mean = floats(graph, first.input(1));
        List<Node> next = graph.consumers(first.output(0));
        if (mean == null || next.size() != 1) {
            return null;
        }
        Node scale = next.get(0);
        double[] factor = scale.inputs().size() == 2 ? floats(graph, scale.input(1)) : null;
        if (factor == null || !scale.input(0).equals(first.output(0))) {
            return null;
        }
        double[] std;
        if (scale.opType().equals("Div")) {
            std = factor;
        } else if (scale.opType().equals("Mul")) {
            std = Arrays.stream(factor).map(f -> 1 / f).toArray();
        } else {
            return null;
        }
        return new InputStatistics(mean, Arrays.stream(std).map(Math::abs).toArray(),
                "graph: " + first.opType() + " '" + first.name() + "' and " + scale.opType() + " '" + scale.name() + "' at the input");
    }

    private static double[] floats(Graph graph, String value) {
        Tensor t = graph.constant(value);
        if (t == null || !t.isFloat() || t.numel() == 0 || t.numel() > 4096) {
            return null;
        }
        float[] f = t.floats();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** metadata_props with keys ending in "mean" and "std" (image_mean/image_std, input_mean/input_std, ...). */
    static InputStatistics fromMetadata(List<StringStringEntryProto> props) {
        String mean = null;
        String std = null;
        for (StringStringEntryProto p : props) {
            String key = p.getKey().toLowerCase(Locale.ROOT);
            if (key.endsWith("mean")) {
                mean = p.getValue();
            } else if (key.endsWith("std")) {
                std = p.getValue();
            }
        }
        if (mean == null || std == null) {
            return null;
        }
        try {
            String clean = "[\\[\\]() ]";
            return new InputStatistics(numbers(mean.replaceAll(clean, ""), "metadata mean"),
                    numbers(std.replaceAll(clean, ""), "metadata std"), "metadata");
        } catch (SpaException e) {
            return null; // metadata that does not parse is not a statement about the input
        }
    }

    /** The mean of each of {@code channels} channels: one per channel when as many are given, else the average of those given. */
    public double[] meansFor(int channels) {
        return valuesFor(mean, channels);
    }

    public double[] stdsFor(int channels) {
        return valuesFor(std, channels);
    }

    private static double[] valuesFor(double[] given, int channels) {
        if (given.length == channels) {
            return given.clone();
        }
        double[] out = new double[channels];
        Arrays.fill(out, Arrays.stream(given).average().orElse(0));
        return out;
    }

    /** Whether the statistics fit an input with this many channels on axis 1. */
    public void requireChannels(int channels, String input) {
        int given = Math.max(mean.length, std.length);
        if (given != 1 && given != channels) {
            throw new SpaException("input statistics give " + given + " channels but input '" + input + "' has " + channels
                    + " on axis 1");
        }
    }

    /** What a report says of these statistics for {@code model}: where it takes no float input (token ids), that none were used. */
    public String describeFor(Model model) {
        return InputLayout.of(model).takesFloats() ? describe() : "none used (the model takes no float input)";
    }

    public String describe() {
        return "N(" + list(mean) + ", " + list(std) + "²) per channel (" + source + ")";
    }

    private static String list(double[] v) {
        if (v.length == 1) {
            return fmt(v[0]);
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(fmt(v[i]));
        }
        return b.append(']').toString();
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.4g", d);
    }
}
