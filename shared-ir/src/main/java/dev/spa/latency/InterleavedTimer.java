package dev.spa.latency;

import dev.spa.runtime.OnnxRunner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times several small models (shapes fixed, batch included) on one runtime in interleaved rounds (each round runs every model once, starting
 * from a different one), so that a busy moment on the machine falls on all of them alike; each model's median.
 */
final class InterleavedTimer {
    private final LatencyRuntime runtime;
    private final int warmup;
    private final int rounds;

    InterleavedTimer(LatencyRuntime runtime, int warmup, int rounds) {
        this.runtime = runtime;
        this.warmup = warmup;
        this.rounds = rounds;
    }

    /** Median milliseconds per run of each model, in the order given. */
    double[] medians(List<byte[]> models) {
        List<OnnxRunner> runners = new ArrayList<>();
        List<OnnxRunner.Bound> bound = new ArrayList<>();
        try {
            for (byte[] m : models) {
                OnnxRunner r = runtime.open(m);
                runners.add(r);
                int batch = r.fixedBatch(); // the layer models fix every axis at the runtime's batch
                bound.add(r.bind(r.randomInputs(batch, 1), batch));
            }
            for (int w = 0; w < warmup; w++) {
                bound.forEach(OnnxRunner.Bound::runMillis);
            }
            double[][] times = new double[bound.size()][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < bound.size(); k++) {
                    int i = (k + round) % bound.size();
                    times[i][round] = bound.get(i).runMillis();
                }
            }
            double[] medians = new double[bound.size()];
            for (int i = 0; i < medians.length; i++) {
                Arrays.sort(times[i]);
                medians[i] = times[i][rounds / 2];
            }
            return medians;
        } finally {
            bound.forEach(OnnxRunner.Bound::close);
            runners.forEach(OnnxRunner::close);
        }
    }
}
