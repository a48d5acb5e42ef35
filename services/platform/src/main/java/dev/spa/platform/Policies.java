package dev.spa.platform;

import dev.spa.SpaException;
import dev.spa.events.PruningRequest;
import dev.spa.policy.CriterionKind;
import dev.spa.policy.HessianSourceKind;
import dev.spa.policy.PruningPolicy;
import dev.spa.policy.UpdateKind;

/**
 * Per-job policy: the configured defaults, with every field the event sets taking precedence.
 * Filled in once at ingest, so every later stage reads one complete request.
 */
public final class Policies {
    private Policies() {
    }

    public static PruningRequest withDefaults(PruningRequest given, PruningRequest defaults) {
        PruningRequest.Builder b = defaults.toBuilder();
        if (!given.getCriterion().isEmpty()) {
            b.setCriterion(given.getCriterion());
        }
        if (!given.getTarget().isEmpty()) {
            b.setTarget(given.getTarget());
        }
        if (given.hasGlobal()) {
            b.setGlobal(given.getGlobal());
        }
        if (!given.getHessianSource().isEmpty()) {
            b.setHessianSource(given.getHessianSource());
        }
        if (!given.getCalibrationUri().isEmpty()) {
            b.setCalibrationUri(given.getCalibrationUri());
        }
        if (!given.getUpdate().isEmpty()) {
            b.setUpdate(given.getUpdate());
        }
        if (given.getRoundTo() > 0) {
            b.setRoundTo(given.getRoundTo());
        }
        if (given.hasRoundToKernels()) {
            b.setRoundToKernels(given.getRoundToKernels());
        }
        if (given.getInputShapeCount() > 0) {
            b.clearInputShape().addAllInputShape(given.getInputShapeList());
        }
        if (given.hasBestEffort()) {
            b.setBestEffort(given.getBestEffort());
        }
        if (given.hasFailIfSlower()) {
            b.setFailIfSlower(given.getFailIfSlower());
        }
        if (given.getDeadlineSeconds() > 0) {
            b.setDeadlineSeconds(given.getDeadlineSeconds());
        }
        if (given.getLatencyThreads() > 0) {
            b.setLatencyThreads(given.getLatencyThreads());
        }
        if (given.getLatencyBatch() > 0) {
            b.setLatencyBatch(given.getLatencyBatch());
        }
        if (given.getMinChannels() > 0) {
            b.setMinChannels(given.getMinChannels());
        }
        if (given.getExcludeCount() > 0) {
            b.clearExclude().addAllExclude(given.getExcludeList());
        }
        if (given.getInputStd() > 0) {
            b.setInputMean(given.getInputMean()).setInputStd(given.getInputStd());
        }
        if (given.getInputChannelMeanCount() > 0 || given.getInputChannelStdCount() > 0) {
            b.clearInputChannelMean().addAllInputChannelMean(given.getInputChannelMeanList())
                    .clearInputChannelStd().addAllInputChannelStd(given.getInputChannelStdList());
        }
        if (given.hasFloor()) {
            b.setFloor(given.getFloor());
        }
        if (given.hasQualityFloor()) {
            b.setQualityFloor(given.getQualityFloor());
        }
        if (!given.getEvaluationInputsUri().isEmpty()) {
            b.setEvaluationInputsUri(given.getEvaluationInputsUri()).setEvaluationLabelsUri(given.getEvaluationLabelsUri());
        }
        if (given.getHessianSource().isEmpty() && b.getHessianSource().equals(HessianSourceKind.AUTO.label()) && !choosable(b)) {
            b.setHessianSource(HessianSourceKind.DATA_FREE.label()); // the default auto chooses among OBSPA's own candidates: other criteria take data-free
        }
        return b.build();
    }

    /** Whether auto applies to the request's criterion and update (an unknown name is refused later, by Requests.check). */
    private static boolean choosable(PruningRequest.Builder b) {
        try {
            return PruningPolicy.choosable(CriterionKind.parse(b.getCriterion()), UpdateKind.parse(b.getUpdate()));
        } catch (SpaException e) {
            return false;
        }
    }
}
