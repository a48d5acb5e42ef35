package dev.spa.platform;

import dev.spa.SpaException;
import dev.spa.events.PruningRequest;
import dev.spa.plan.PruningPolicy;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** A pruning request from an event as the engine's policy; a request the engine cannot follow is a BAD_REQUEST. */
public final class Requests {
    private static final Set<String> CRITERIA = Set.of("l1", "l2", "random", "bn", "obspa");

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
            if (!CRITERIA.contains(request.getCriterion())) {
                throw new SpaException("criterion '" + request.getCriterion() + "' is unknown: use l1, l2, random, bn or obspa");
            }
            SelectionOptions selection = new SelectionOptions(Target.parse(request.getTarget()), request.getGlobal(),
                    Math.max(1, request.getMinChannels()), Math.max(1, request.getRoundTo()), new HashSet<>(request.getExcludeList()));
            PruningPolicy policy = PruningPolicy.of(request.getCriterion(), selection)
                    .withSource(request.getHessianSource().isEmpty() ? "data-free" : request.getHessianSource(), calibration)
                    .withUpdate(request.getUpdate());
            if (request.getInputStd() > 0) {
                policy = policy.withInputStatistics(request.getInputMean(), request.getInputStd());
            }
            if (!Set.of("", "none", "obspa", "obspa-sequential").contains(request.getUpdate())) {
                throw new SpaException("update '" + request.getUpdate() + "' is unknown: use none, obspa or obspa-sequential");
            }
            return policy;
        } catch (SpaException e) {
            throw new JobRejected("BAD_REQUEST", e.getMessage(), false, e);
        }
    }
}
