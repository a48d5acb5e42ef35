package dev.spa.platform;

import dev.spa.events.PruningRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoliciesTest {
    private static final PruningRequest DEFAULTS = PruningRequest.newBuilder().setCriterion("obspa").setTarget("macs=0.5")
            .setGlobal(true).setHessianSource("data-free").setRoundToKernels(true).build();

    /** Every field an upload sets reaches the job: once fail_if_slower and the deadline were silently dropped here. */
    @Test
    void everyFieldTheRequestSetsWinsOverTheDefaults() {
        PruningRequest given = PruningRequest.newBuilder().setTarget("latency=0.4").setRoundTo(4).setRoundToKernels(false)
                .setLatencyThreads(1).setLatencyBatch(8).setFailIfSlower(true).setDeadlineSeconds(30).setGlobal(false).build();
        PruningRequest job = Policies.withDefaults(given, DEFAULTS);
        assertEquals("obspa", job.getCriterion(), "a default where the request is silent");
        assertEquals("latency=0.4", job.getTarget());
        assertEquals(4, job.getRoundTo());
        assertFalse(job.getRoundToKernels());
        assertFalse(job.getGlobal());
        assertEquals(1, job.getLatencyThreads());
        assertEquals(8, job.getLatencyBatch());
        assertTrue(job.getFailIfSlower());
        assertEquals(30, job.getDeadlineSeconds());
    }

    @Test
    void anEmptyRequestIsTheDefaults() {
        PruningRequest job = Policies.withDefaults(PruningRequest.getDefaultInstance(), DEFAULTS);
        assertEquals(DEFAULTS, job);
        assertFalse(job.hasFailIfSlower(), "unset stays unset, so the exporter's configured default decides");
    }

    /** The default source auto chooses among OBSPA's own candidates; a request for another criterion gets data-free. */
    @Test
    void theDefaultAutoSourceStandsForDataFreeWhereItCannotChoose() {
        PruningRequest defaults = DEFAULTS.toBuilder().setHessianSource("auto").build();
        assertEquals("auto", Policies.withDefaults(PruningRequest.getDefaultInstance(), defaults).getHessianSource());
        assertEquals("data-free", Policies.withDefaults(PruningRequest.newBuilder().setCriterion("l2").build(), defaults).getHessianSource());
        assertEquals("data-free", Policies.withDefaults(PruningRequest.newBuilder().setUpdate("none").build(), defaults).getHessianSource());
        assertEquals("ood", Policies.withDefaults(PruningRequest.newBuilder().setHessianSource("ood").build(), defaults).getHessianSource());
    }
}
