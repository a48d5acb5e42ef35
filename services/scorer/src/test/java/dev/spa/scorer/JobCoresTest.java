package dev.spa.scorer;

import dev.spa.events.JobAccepted;
import dev.spa.events.PruningRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JobCoresTest {
    private final JobCores cores = new JobCores(2_000_000);

    private static JobAccepted job(long bytes, PruningRequest request) {
        return JobAccepted.newBuilder().setJobId("j").setSha256("ab12").setModelBytes(bytes).setRequest(request).build();
    }

    private static PruningRequest dataFree(String target, boolean roundToKernels) {
        return PruningRequest.newBuilder().setCriterion("obspa").setHessianSource("data-free").setTarget(target)
                .setRoundToKernels(roundToKernels).build();
    }

    @Test
    void aSmallModelThatTimesNothingTakesOneCore() {
        assertEquals(1, cores.of(job(150_000, dataFree("macs=0.5", false))));
    }

    @Test
    void kernelStepsAreMeasuredAloneOnFirstSightAndOnlyReadAfterwards() {
        JobAccepted first = job(150_000, dataFree("macs=0.5", true));
        assertEquals(JobCores.ALL, cores.of(first), "the first job on a model times its kernel steps");
        cores.finished(first);
        assertEquals(1, cores.of(job(150_000, dataFree("macs=0.5", true))), "the same model again reads them from the bucket");
        JobAccepted otherRuntime = job(150_000, dataFree("macs=0.5", true).toBuilder().setLatencyThreads(1).build());
        assertEquals(JobCores.ALL, cores.of(otherRuntime), "steps are per runtime");
    }

    @Test
    void largeModelsSearchesCaptureAndUnknownSizesTakeEveryCore() {
        assertEquals(JobCores.ALL, cores.of(job(14_000_000, dataFree("macs=0.5", false))));
        assertEquals(JobCores.ALL, cores.of(job(150_000, dataFree("latency=0.5", false))));
        assertEquals(JobCores.ALL, cores.of(job(150_000, dataFree("macs=0.5,agreement=0.95", false))));
        assertEquals(JobCores.ALL, cores.of(job(150_000, dataFree("macs=0.5", false).toBuilder().setHessianSource("calibration").build())));
        assertEquals(JobCores.ALL, cores.of(job(0, dataFree("macs=0.5", false))));
        assertEquals(JobCores.ALL, cores.of(job(150_000, dataFree("nonsense", false))), "a bad request is refused when it runs, alone");
    }
}
