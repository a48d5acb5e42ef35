package dev.spa.runtime;

import dev.spa.SpaException;
import dev.spa.ir.Model;

import java.nio.file.Path;
import java.util.Locale;

/** The runtime a latency target is stated for: ONNX Runtime with a provider, an intra-op thread count and a batch size. */
public record LatencyRuntime(ExecutionProvider provider, int threads, int batch) {
    /** What the exporter's check runs: the CPU provider, 2 threads, batch 1. */
    public static final LatencyRuntime DEFAULT = new LatencyRuntime(ExecutionProvider.CPU, 2, 1);

    public LatencyRuntime {
        if (threads < 1 || batch < 1) {
            throw new SpaException("a latency runtime needs at least 1 thread and a batch of at least 1, got " + threads + " and " + batch);
        }
    }

    /** How cached latency models are told apart: {@code cpu-2t-b1}. */
    public String key() {
        return String.format(Locale.ROOT, "%s-%dt-b%d", provider.name().toLowerCase(Locale.ROOT), threads, batch);
    }

    /** An ONNX Runtime session of {@code model} on this runtime's provider and threads. */
    public OnnxRunner open(byte[] model) {
        return new OnnxRunner(model, threads, provider);
    }

    /** An ONNX Runtime session of an engine model on this runtime ({@link OnnxRunner#of}: a large one goes as a file). */
    public OnnxRunner open(Model model) {
        return OnnxRunner.of(model, threads, provider);
    }

    /** An ONNX Runtime session of the model file (and its external data beside it) on this runtime. */
    public OnnxRunner open(Path file) {
        return new OnnxRunner(file, threads, provider);
    }

    /** {@code after} timed against {@code before} at this runtime's batch, interleaved ({@link LatencyComparison}). */
    public LatencyComparison compare(OnnxRunner before, OnnxRunner after, int warmup, int rounds) {
        return LatencyComparison.measure(before, after, provider.name(), threads, batch, warmup, rounds);
    }

    /** Two models opened on this runtime and {@code after} timed against {@code before}, as the exporter times a job's result. */
    public LatencyComparison compare(byte[] before, byte[] after, int warmup, int rounds) {
        try (OnnxRunner b = open(before); OnnxRunner a = open(after)) {
            return compare(b, a, warmup, rounds);
        }
    }

    public String describe() {
        return String.format(Locale.ROOT, "ONNX Runtime %s, %d intra-op thread%s, batch %d", provider.name(), threads, threads == 1 ? "" : "s", batch);
    }
}
