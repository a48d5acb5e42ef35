package dev.spa.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.spa.SpaException;
import dev.spa.TempFolders;
import dev.spa.ir.InputShapes;
import dev.spa.ir.Model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs a model in ONNX Runtime (the CPU provider unless told otherwise): the check that every pruned model is valid, and the measure
 * of its outputs and latency. Dynamic input dimensions are set to the requested batch size.
 */
public final class OnnxRunner implements AutoCloseable {
    /** Models with more tensor bytes than this reach ONNX Runtime as a file ({@link #of}). */
    private static final long FILE_ABOVE_BYTES = 256L * 1024 * 1024;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    /** The inputs' shapes as the model declares them (-1 for a dynamic axis), read on first use: they never change. */
    private Map<String, long[]> declared;
    private final Map<String, OnnxJavaType> inputTypes = new HashMap<>();
    private int fixedBatch;

    public OnnxRunner(byte[] model, int threads) {
        this(model, threads, ExecutionProvider.CPU);
    }

    public OnnxRunner(byte[] model, int threads, ExecutionProvider provider) {
        this(threads, provider, (env, options) -> env.createSession(model, options));
    }

    /** A session of a serialised model in a direct buffer ({@link Model#toDirectBuffer}). */
    public OnnxRunner(ByteBuffer model, int threads, ExecutionProvider provider) {
        this(threads, provider, (env, options) -> env.createSession(model, options));
    }

    /** A session of the model in {@code file}; its external data, if any, is read from beside it. */
    public OnnxRunner(Path file, int threads, ExecutionProvider provider) {
        this(threads, provider, (env, options) -> env.createSession(file.toString(), options));
    }

    private interface SessionMaker {
        OrtSession make(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;
    }

    private OnnxRunner(int threads, ExecutionProvider provider, SessionMaker maker) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            provider.configure(options);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            // Idle intra-op threads spin by default, waiting for the next run. Timing always has two sessions alive
            // (original and pruned, interleaved): one's spinning threads took the cores the other was timed on, and at 2
            // threads on 2 cores ResNet-18 measured 63 ms with quartiles 0.3-1.2 of the ratio, 37 ms and 0.50-0.54 without.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            session = maker.make(env, options);
        } catch (OrtException e) {
            throw new SpaException("ONNX Runtime rejects the model: " + OrtMessages.reason(e), e);
        }
    }

    /** A session of an engine model on the CPU provider ({@link #of(Model, int, ExecutionProvider)}). */
    public static OnnxRunner of(Model model, int threads) {
        return of(model, threads, ExecutionProvider.CPU);
    }

    /**
     * A session of an engine model. A large one is handed over as a file with external data rather than as one
     * serialised array: no second copy of its tensors in the heap (ViT-L/16's 1.2 GB ran a default heap out of
     * memory here), and models over 2 GiB, which have no serialised form, run too. The file is gone once the
     * session holds the model.
     */
    public static OnnxRunner of(Model model, int threads, ExecutionProvider provider) {
        return of(model, threads, provider, FILE_ABOVE_BYTES);
    }

    /** As {@link #of(Model, int, ExecutionProvider)}, with the size above which the model goes as a file stated. */
    public static OnnxRunner of(Model model, int threads, ExecutionProvider provider, long fileAboveBytes) {
        if (model.tensorBytes() <= fileAboveBytes) {
            return new OnnxRunner(model.toDirectBuffer(), threads, provider);
        }
        Path folder = TempFolders.create("session");
        try {
            Path file = folder.resolve("model.onnx");
            model.write(file, true);
            return new OnnxRunner(file, threads, provider);
        } catch (IOException e) {
            throw new SpaException("cannot write the model for ONNX Runtime to a temporary file: " + e.getMessage(), e);
        } finally {
            TempFolders.delete(folder);
        }
    }

    /**
     * Input shapes for {@code batch} samples: the leading (batch) axis is {@code batch} whether the
     * model leaves it free or fixes it (a fixed batch is fed in chunks, see {@link #run}); other
     * dynamic dimensions are set to {@code batch} too.
     */
    public Map<String, long[]> inputShapes(int batch) {
        Map<String, long[]> out = new LinkedHashMap<>();
        declaredInputShapes().forEach((name, shapeDeclared) -> {
            long[] shape = shapeDeclared.clone();
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0 || i == 0) {
                    shape[i] = batch;
                }
            }
            out.put(name, shape);
        });
        return out;
    }

    /**
     * Feeds the stated inputs at their stated sizes past the leading (batch) axis, which stays as the model declares it:
     * a model with free H and W is run and timed at the size a job states rather than at 1.
     */
    public OnnxRunner stating(InputShapes stated) {
        Map<String, long[]> shapes = new LinkedHashMap<>(declaredInputShapes());
        stated.byName().forEach((name, dims) -> {
            long[] declaredShape = shapes.get(name);
            if (declaredShape != null && declaredShape.length == dims.length) {
                long[] s = dims.clone();
                s[0] = declaredShape[0];
                shapes.put(name, s);
            }
        });
        declared = shapes;
        return this;
    }

    private Map<String, long[]> declaredInputShapes() {
        if (declared != null) {
            return declared;
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                if (!(e.getValue().getInfo() instanceof TensorInfo info)) {
                    throw new SpaException("input '" + e.getKey() + "' is not a tensor");
                }
                out.put(e.getKey(), info.getShape());
                inputTypes.put(e.getKey(), info.type);
            }
        } catch (OrtException e) {
            throw new SpaException("cannot read the model's inputs: " + OrtMessages.reason(e), e);
        }
        declared = out;
        fixedBatch = fixedBatch(out);
        return out;
    }

    /**
     * The batch size every input fixes on its leading axis (1 for the ONNX Model Zoo's MNIST and the
     * verification-benchmark exports), or 0 when the batch axis is free.
     */
    public int fixedBatch() {
        declaredInputShapes();
        return fixedBatch;
    }

    private static int fixedBatch(Map<String, long[]> declared) {
        int fixed = 0;
        for (long[] shape : declared.values()) {
            if (shape.length == 0 || shape[0] < 0) {
                return 0;
            }
            if (fixed != 0 && shape[0] != fixed) {
                return 0;
            }
            fixed = (int) shape[0];
        }
        return fixed;
    }

    /** The element type the model declares for an input (float where the runtime does not say). */
    private OnnxJavaType inputType(String name) {
        declaredInputShapes();
        return inputTypes.getOrDefault(name, OnnxJavaType.FLOAT);
    }

    /**
     * Standard-normal inputs, the same for the same seed; an integer or boolean input (token ids, type ids, masks) gets 0
     * or 1 at random, which is a valid index into any embedding table and a valid mask.
     */
    public Map<String, float[]> randomInputs(int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed); // fast Gaussians (see SampleBatches.forEachBatch)
        Map<String, float[]> out = new LinkedHashMap<>();
        inputShapes(batch).forEach((name, shape) -> {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] data = new float[(int) n];
            OnnxJavaType type = inputType(name);
            boolean real = type == OnnxJavaType.FLOAT || type == OnnxJavaType.DOUBLE;
            for (int i = 0; i < data.length; i++) {
                data[i] = real ? (float) random.nextGaussian() : random.nextInt(2);
            }
            out.put(name, data);
        });
        return out;
    }

    /**
     * Runs {@code batch} samples. A model whose inputs fix the batch to another size gets them in
     * chunks of that size (the last one padded with zeros), and the outputs are joined on their
     * leading axis, so callers need not know how the model was exported.
     */
    public ModelOutputs run(Map<String, float[]> inputs, int batch) {
        int fixed = fixedBatch();
        if (fixed == 0 || fixed == batch) {
            return runOnce(inputs, batch);
        }
        return FixedBatchChunks.run(this::runOnce, inputs, batch, fixed);
    }

    /** The inputs as runtime tensors of {@code batch} samples; the caller closes them (on failure they are closed here). */
    private Map<String, OnnxTensor> tensors(Map<String, float[]> inputs, int batch) {
        Map<String, long[]> shapes = inputShapes(batch);
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            for (Map.Entry<String, float[]> e : inputs.entrySet()) {
                tensors.put(e.getKey(), TensorValues.tensor(env, e.getKey(), e.getValue(), shapes.get(e.getKey()), inputType(e.getKey())));
            }
            return tensors;
        } catch (OrtException e) {
            tensors.values().forEach(OnnxTensor::close);
            throw new SpaException("ONNX Runtime cannot take the inputs: " + OrtMessages.reason(e), e);
        }
    }

    private ModelOutputs runOnce(Map<String, float[]> inputs, int batch) {
        Map<String, OnnxTensor> tensors = tensors(inputs, batch);
        try {
            try (OrtSession.Result result = session.run(tensors)) {
                Map<String, float[]> values = new LinkedHashMap<>();
                Map<String, long[]> outShapes = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (!(e.getValue() instanceof OnnxTensor t)) {
                        throw new SpaException("output '" + e.getKey() + "' is a " + e.getValue().getType()
                                + ", not a tensor; SPA compares models whose outputs are tensors");
                    }
                    values.put(e.getKey(), TensorValues.asFloats(e.getKey(), t));
                    outShapes.put(e.getKey(), t.getInfo().getShape());
                }
                return new ModelOutputs(values, outShapes);
            }
        } catch (OrtException e) {
            throw new SpaException("ONNX Runtime failed to run the model: " + OrtMessages.reason(e), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * Random inputs of {@code batch} samples bound once, for timing the session alone: each {@link Bound#runMillis()}
     * runs it and drops the outputs, so neither building the input tensors nor copying the outputs out is counted (they
     * dwarf a small layer's own time, and are the caller's cost, not the model's). A model that fixes a smaller batch
     * runs as many chunks as {@link #run} feeds it.
     */
    public Bound bindRandom(int batch) {
        int fixed = fixedBatch();
        int perRun = fixed == 0 ? batch : fixed;
        int runs = fixed == 0 ? 1 : (batch + fixed - 1) / fixed;
        return new Bound(tensors(randomInputs(perRun, 1), perRun), runs);
    }

    /** A session with its inputs in place; close it to free them. */
    public final class Bound implements AutoCloseable {
        private final Map<String, OnnxTensor> tensors;
        private final int runs;

        private Bound(Map<String, OnnxTensor> tensors, int runs) {
            this.tensors = tensors;
            this.runs = runs;
        }

        /** How many runs one batch takes: 1, or the chunks of a batch the model fixes smaller. */
        public int runsPerBatch() {
            return runs;
        }

        /** One batch through the model (one run, or one per chunk of a fixed batch), in milliseconds. */
        public double runMillis() {
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                try (OrtSession.Result result = session.run(tensors)) {
                    // only the time is wanted
                } catch (OrtException e) {
                    throw new SpaException("ONNX Runtime failed to run the model: " + OrtMessages.reason(e), e);
                }
            }
            return (System.nanoTime() - t0) / 1e6;
        }

        @Override
        public void close() {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /** Median wall time of {@code runs} runs after warm-up, in milliseconds. */
    public double latencyMillis(int batch, int warmup, int runs) {
        try (Bound bound = bindRandom(batch)) {
            for (int i = 0; i < warmup; i++) {
                bound.runMillis();
            }
            double[] times = new double[runs];
            for (int i = 0; i < runs; i++) {
                times[i] = bound.runMillis();
            }
            Arrays.sort(times);
            return times[runs / 2];
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new SpaException("cannot close the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
