package dev.spa.latency;

import dev.spa.ir.Model;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.runtime.OnnxRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Times several models (layer models with every axis fixed, or cuts of one model) on one runtime in interleaved
 * rounds (each round runs every model once, starting from a different one), so that a busy moment on the machine
 * falls on all of them alike; each model's median.
 */
final class InterleavedTimer {
    /** Rounds at most, however fast the models run. */
    private static final int MAX_ROUNDS = 1000;

    private final LatencyRuntime runtime;
    private final int warmup;
    private final int rounds;
    private final double minMillis;

    InterleavedTimer(LatencyRuntime runtime, int warmup, int rounds) {
        this(runtime, warmup, rounds, 0);
    }

    /**
     * @param minMillis rounds go on past {@code rounds} until they have taken this long (up to 1000 rounds): a model of
     *                  a tenth of a millisecond needs hundreds of runs before its median stops moving by more than the
     *                  few percent being compared
     */
    InterleavedTimer(LatencyRuntime runtime, int warmup, int rounds, double minMillis) {
        this.runtime = runtime;
        this.warmup = warmup;
        this.rounds = rounds;
        this.minMillis = minMillis;
    }

    /** Median milliseconds per run of each model, in the order given. */
    double[] medians(List<byte[]> models) {
        return timed(models.stream().<Supplier<OnnxRunner>>map(m -> () -> runtime.open(m)).toList());
    }

    /**
     * The same for models made one at a time: each one is only held until its session is open (ONNX Runtime keeps its
     * own copy), so timing five cuts of a large model never holds five cuts in the heap.
     */
    double[] mediansOf(List<Supplier<Model>> models) {
        return timed(models.stream().<Supplier<OnnxRunner>>map(m -> () -> runtime.open(m.get())).toList());
    }

    private double[] timed(List<Supplier<OnnxRunner>> sessions) {
        List<OnnxRunner> runners = new ArrayList<>();
        List<OnnxRunner.Bound> bound = new ArrayList<>();
        try {
            for (Supplier<OnnxRunner> open : sessions) {
                OnnxRunner r = open.get();
                runners.add(r);
                bound.add(r.bindRandom(runtime.batch()));
            }
            for (int w = 0; w < warmup; w++) {
                bound.forEach(OnnxRunner.Bound::runMillis);
            }
            List<double[]> times = new ArrayList<>();
            double elapsed = 0;
            for (int round = 0; round < MAX_ROUNDS && (round < rounds || elapsed < minMillis); round++) {
                double[] t = new double[bound.size()];
                for (int k = 0; k < bound.size(); k++) {
                    int i = (k + round) % bound.size();
                    t[i] = bound.get(i).runMillis();
                    elapsed += t[i];
                }
                times.add(t);
            }
            double[] medians = new double[bound.size()];
            for (int i = 0; i < medians.length; i++) {
                int model = i;
                double[] sorted = times.stream().mapToDouble(t -> t[model]).sorted().toArray();
                medians[i] = sorted[sorted.length / 2];
            }
            return medians;
        } finally {
            bound.forEach(OnnxRunner.Bound::close);
            runners.forEach(OnnxRunner::close);
        }
    }
}
