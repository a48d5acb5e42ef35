package dev.spa.scorer;

import dev.spa.events.JobAccepted;
import dev.spa.events.PruningRequest;
import dev.spa.platform.Requests;
import dev.spa.select.Target;
import dev.spa.select.TargetSpec;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many cores a scoring job keeps busy, so that the scorer can run jobs that leave cores idle side by side
 * ({@link dev.spa.platform.Shares}). A job on a small model that times nothing is mostly one core's work: its
 * analysis and scores run on one thread, and OpenBLAS has little to split in matrices that small. Everything else
 * takes every core: a large model's OBSPA fills them, and a job that times models (a latency or agreement target's cuts, the kernel steps measured on first
 * sight of a model, activations captured through ONNX Runtime) must not share them, or its timings measure the
 * other job.
 */
final class JobCores {
    static final int ALL = Integer.MAX_VALUE;

    private final long lightModelBytes;
    /** Models (file digest and runtime) whose kernel steps this scorer has measured: stored in the bucket, so only read again. */
    private final Set<String> stepsKnown = ConcurrentHashMap.newKeySet();

    JobCores(long lightModelBytes) {
        this.lightModelBytes = lightModelBytes;
    }

    int of(JobAccepted job) {
        try {
            PruningRequest r = job.getRequest();
            boolean small = job.getModelBytes() > 0 && job.getModelBytes() <= lightModelBytes;
            boolean captures = Requests.calibrated(r);
            return small && !captures && !searches(r) && (!r.getRoundToKernels() || stepsKnown.contains(key(job))) ? 1 : ALL;
        } catch (RuntimeException e) {
            return ALL; // a request the job will refuse with its reason when it runs
        }
    }

    /** After a job has finished: its model's kernel steps are in the bucket now, and later jobs on it only read them. */
    void finished(JobAccepted job) {
        if (job.getRequest().getRoundToKernels()) {
            stepsKnown.add(key(job));
        }
    }

    private static boolean searches(PruningRequest r) {
        TargetSpec spec = TargetSpec.parse(r.getTarget());
        return spec.hasAgreement() || spec.cost().kind() == Target.Kind.LATENCY;
    }

    private static String key(JobAccepted job) {
        return job.getSha256() + "-" + Requests.latencyRuntime(job.getRequest()).key();
    }
}
