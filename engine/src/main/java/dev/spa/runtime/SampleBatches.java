package dev.spa.runtime;

import dev.spa.SpaException;
import dev.spa.ir.Model;
import dev.spa.ir.Shapes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * Samples for a model's inputs (one float input, or several as {@link InputLayout} lays them out), handed out in batches: read from raw little-endian
 * float32 files (N samples in the input's layout; a folder means every file in it, in name order),
 * or drawn as synthetic noise. Synthetic samples are drawn batch by batch, from the same seed on every
 * pass, so they are the same every time and never all in memory at once (256 ImageNet-sized samples
 * are 154 MB, more than the rest of a ResNet-18 prune).
 */
public final class SampleBatches {
    private final float[] data;
    private final SampleDraw draw;
    private final long seed;
    private final int samples;
    private final int sampleSize;
    private final InputLayout layout;

    /** Draws one sample into {@code into} at {@code offset}, consuming {@code random} in a fixed order. */
    @FunctionalInterface
    interface SampleDraw {
        void draw(RandomGenerator random, float[] into, int offset);
    }

    private SampleBatches(float[] data, InputLayout layout) {
        this.data = data;
        this.draw = null;
        this.seed = 0;
        this.layout = layout;
        this.sampleSize = layout.sampleSize();
        this.samples = data.length / sampleSize;
    }

    private SampleBatches(SampleDraw draw, long seed, int samples, InputLayout layout) {
        this.data = null;
        this.draw = draw;
        this.seed = seed;
        this.samples = samples;
        this.layout = layout;
        this.sampleSize = layout.sampleSize();
    }

    /** Samples held in memory, laid out as {@code layout} says (a whole number of samples). */
    public static SampleBatches inMemory(float[] data, InputLayout layout) {
        if (data.length % layout.sampleSize() != 0) {
            throw new IllegalArgumentException(data.length + " floats are not a whole number of samples of " + layout.sampleSize());
        }
        return new SampleBatches(data, layout);
    }

    /** Samples of one input whose shape alone is known: fed by the caller, which names the input. */
    public static SampleBatches fromFile(Path path, long[] sampleShape) {
        return fromFile(path, InputLayout.single(sampleShape));
    }

    /** Samples of a model's inputs as {@code layout} lays them out (for several inputs, each sample's inputs in turn). */
    public static SampleBatches fromFile(Path path, InputLayout layout) {
        int sampleSize = layout.sampleSize();
        List<Path> files = new ArrayList<>();
        try {
            if (Files.isDirectory(path)) {
                try (var s = Files.list(path)) {
                    s.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                throw new SpaException("calibration data '" + path + "' does not exist");
            }
            List<float[]> parts = new ArrayList<>();
            int total = 0;
            for (Path f : files) {
                float[] part = readFloats(f);
                if (part.length % sampleSize != 0) {
                    throw new SpaException("calibration file '" + f + "' has " + part.length + " floats, not a whole number of samples of "
                            + layout.describe() + " (" + sampleSize + " floats each)");
                }
                parts.add(part);
                total += part.length;
            }
            if (total == 0) {
                throw new SpaException("calibration data '" + path + "' holds no samples");
            }
            float[] all = new float[total];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return new SampleBatches(all, layout);
        } catch (IOException e) {
            throw new SpaException("cannot read calibration data '" + path + "': " + e.getMessage(), e);
        }
    }

    /** The shape of one sample of the model's single input: its shape without the batch axis. */
    public static long[] sampleShape(Model model) {
        var inputs = model.graph().inputs();
        if (inputs.size() != 1) {
            throw new SpaException("samples can be fed only to a model with one input; this one has " + inputs.size());
        }
        long[] dims = Shapes.seed(model.graph()).get(inputs.get(0).getName());
        if (dims == null || dims.length < 1) {
            throw new SpaException("the model's input '" + inputs.get(0).getName() + "' has no known shape");
        }
        return Arrays.copyOfRange(dims, 1, dims.length);
    }

    /** The sample shape, or null where the model's single input has no static shape. */
    public static long[] sampleShapeOrNull(Model model) {
        try {
            return sampleShape(model);
        } catch (SpaException e) {
            return null;
        }
    }

    /** Little-endian int64 labels, one per sample. */
    public static long[] readLabels(Path f) {
        try {
            long size = Files.size(f);
            if (size % 8 != 0) {
                throw new SpaException("labels file '" + f + "' is " + size + " bytes, not a whole number of int64 values");
            }
            long[] out = new long[(int) (size / 8)];
            ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new SpaException("cannot read labels '" + f + "': " + e.getMessage(), e);
        }
    }

    /**
     * Synthetic inputs with the statistics' mean and std per channel: dead-leaves images where the sample is
     * an image ({@link DeadLeaves}), Gaussian noise otherwise.
     */
    public static SampleBatches synthetic(long[] sampleShape, int samples, InputStatistics stats, long seed) {
        return new SampleBatches(imageOrGaussian(sampleShape, stats), seed, samples, InputLayout.single(sampleShape));
    }

    /**
     * Synthetic samples of a model's inputs: each float input as {@link #synthetic(long[], int, InputStatistics, long)}
     * (with {@code images}) or {@link #gaussian(long[], int, InputStatistics, long)} draws it, each integer input as
     * {@link TokenDraw} does.
     */
    public static SampleBatches synthetic(InputLayout layout, int samples, InputStatistics stats, long seed, boolean images) {
        List<SampleDraw> draws = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        long vocabulary = layout.segments().stream().mapToLong(InputLayout.Segment::indexRange).max().orElse(0);
        for (InputLayout.Segment s : layout.segments()) {
            draws.add(s.integer() ? TokenDraw.of(s, vocabulary)
                    : images ? imageOrGaussian(s.sampleShape(), stats) : gaussianDraw(s.sampleShape(), stats));
            sizes.add(s.size());
        }
        return new SampleBatches((random, into, offset) -> {
            int at = offset;
            for (int i = 0; i < draws.size(); i++) {
                draws.get(i).draw(random, into, at);
                at += sizes.get(i);
            }
        }, seed, samples, layout);
    }

    private static SampleDraw imageOrGaussian(long[] sampleShape, InputStatistics stats) {
        if (!DeadLeaves.isImage(sampleShape)) {
            return gaussianDraw(sampleShape, stats);
        }
        int channels = (int) sampleShape[0];
        double[] mean = stats.meansFor(channels);
        double[] std = stats.stdsFor(channels);
        return (random, into, offset) -> DeadLeaves.image(sampleShape, mean, std, random, into, offset);
    }

    /** What {@link #synthetic(InputLayout, int, InputStatistics, long, boolean)} draws with images, for reports. */
    public static String describeSynthetic(InputLayout layout) {
        List<String> parts = new ArrayList<>();
        for (InputLayout.Segment s : layout.segments()) {
            parts.add(s.integer() ? TokenDraw.describe(s, layout) : describeSynthetic(s.sampleShape()));
        }
        return String.join(", ", parts);
    }

    /** What {@link #synthetic} draws for this sample shape, for reports. */
    public static String describeSynthetic(long[] sampleShape) {
        return DeadLeaves.isImage(sampleShape) ? "dead-leaves images (occluding discs of random colour, radii from a power law)" : "Gaussian noise";
    }

    /** Gaussian noise with the statistics' mean and std per channel (the sample's first axis). */
    public static SampleBatches gaussian(long[] sampleShape, int samples, InputStatistics stats, long seed) {
        return new SampleBatches(gaussianDraw(sampleShape, stats), seed, samples, InputLayout.single(sampleShape));
    }

    private static SampleDraw gaussianDraw(long[] sampleShape, InputStatistics stats) {
        int sampleSize = (int) product(sampleShape);
        int channels = sampleShape.length == 0 ? 1 : (int) sampleShape[0];
        double[] mean = stats.meansFor(channels);
        double[] std = stats.stdsFor(channels);
        int plane = sampleSize / Math.max(1, channels);
        return (random, into, offset) -> {
            for (int i = 0; i < sampleSize; i++) {
                int c = i / plane;
                into[offset + i] = (float) (mean[c] + std[c] * random.nextGaussian());
            }
        };
    }

    static float[] readFloats(Path f) throws IOException {
        long size = Files.size(f);
        if (size % 4 != 0) {
            throw new SpaException("'" + f + "' is " + size + " bytes, not a whole number of float32 values");
        }
        byte[] bytes = Files.readAllBytes(f);
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d <= 0) {
                throw new SpaException("the model's input shape " + Arrays.toString(shape) + " has a dynamic axis besides the batch");
            }
            n *= d;
        }
        return n;
    }

    public int samples() {
        return samples;
    }

    public InputLayout layout() {
        return layout;
    }

    /** A batch from {@link #forEachBatch} as the model's inputs by name (samples read against the model's layout, or {@link #named}). */
    public Map<String, float[]> feed(float[] batch, int count) {
        return layout.feed(batch, count);
    }

    /**
     * These samples fed to {@code model}: samples read against a bare sample shape take the name of its single input
     * (the same values; a model with several inputs needs samples read against its layout).
     */
    public SampleBatches named(Model model) {
        InputLayout named = layout.namedFor(model);
        return named == layout ? this : data != null ? new SampleBatches(data, named) : new SampleBatches(draw, seed, samples, named);
    }

    /** Calls {@code sink(batchData, batchSize)} for consecutive batches of at most {@code batchSize} samples. */
    public void forEachBatch(int batchSize, BiConsumer<float[], Integer> sink) {
        // SplittableRandom's Gaussians (ziggurat) are six times faster than java.util.Random's (polar method,
        // synchronised): 256 ImageNet-sized reference inputs took 1.2 s to draw, and every check draws them twice
        RandomGenerator random = draw == null ? null : new SplittableRandom(seed);
        for (int s = 0; s < samples; s += batchSize) {
            int count = Math.min(batchSize, samples - s);
            float[] batch;
            if (draw == null) {
                batch = Arrays.copyOfRange(data, s * sampleSize, (s + count) * sampleSize);
            } else {
                batch = new float[count * sampleSize];
                for (int k = 0; k < count; k++) {
                    draw.draw(random, batch, k * sampleSize);
                }
            }
            sink.accept(batch, count);
        }
    }
}
