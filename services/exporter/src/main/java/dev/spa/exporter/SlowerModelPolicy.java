package dev.spa.exporter;

import dev.spa.events.PruningRequest;
import dev.spa.platform.JobRejected;
import dev.spa.runtime.LatencyComparison;

/**
 * What happens to a pruned model that measured slower than its original: it is always said (report, event,
 * DONE status); the job fails PRUNED_MODEL_SLOWER, before anything is published, when the request's
 * {@code fail_if_slower} (else {@code spa.exporter.fail-if-slower}) asks and the measurement is narrow enough to
 * trust: a slowdown within the noise of the machine is reported, not acted on.
 */
final class SlowerModelPolicy {
    private SlowerModelPolicy() {
    }

    static void apply(LatencyComparison latency, PruningRequest request, boolean failByDefault) {
        boolean fail = request.hasFailIfSlower() ? request.getFailIfSlower() : failByDefault;
        if (fail && latency.slower() && latency.trusted()) {
            throw new JobRejected("PRUNED_MODEL_SLOWER", "the pruned model is slower than the original: " + latency.describe()
                    + "; nothing was published (fail_if_slower)", false);
        }
    }
}
