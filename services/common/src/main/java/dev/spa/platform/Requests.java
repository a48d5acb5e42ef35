package dev.spa.platform;

import dev.spa.SpaException;
import dev.spa.events.PruningRequest;
import dev.spa.plan.PruningPolicy;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;

import java.nio.file.Path;
import java.util.HashSet;

/** A pruning request from an event as the engine's policy; a request the engine cannot follow is a BAD_REQUEST. */
public final class Requests {
    private Requests() {
    }

    /** Checks a request before any work is spent on it (ingest); calibration data is only looked at by the scorer. */
    public static void check(PruningRequest request) {
        policy(request, request.getHessianSource().equals("calibration") ? Path.of("calibration-samples") : null);
        if (request.getHessianSource().equals("calibration") && request.getCalibrationUri().isEmpty()) {
            throw new JobRejected("BAD_REQUEST", "the calibration Hessian source needs calibration_uri", false);
        }
    }

    /** @param calibration where the calibration samples were downloaded, with the calibration source */
    public static PruningPolicy policy(PruningRequest request, Path calibration) {
        try {
            SelectionOptions selection = new SelectionOptions(Target.parse(request.getTarget()), request.getGlobal(),
                    Math.max(1, request.getMinChannels()), Math.max(1, request.getRoundTo()), new HashSet<>(request.getExcludeList()));
            PruningPolicy policy = PruningPolicy.of(request.getCriterion(), selection)
                    .withSource(request.getHessianSource().isEmpty() ? "data-free" : request.getHessianSource(), calibration)
                    .withUpdate(request.getUpdate());
            if (request.getInputStd() > 0) {
                policy = policy.withInputStatistics(request.getInputMean(), request.getInputStd());
            }
            return policy;
        } catch (SpaException e) {
            throw new JobRejected("BAD_REQUEST", e.getMessage(), false, e);
        }
    }
}
