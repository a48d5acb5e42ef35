package dev.spa.platform;

import dev.spa.SpaException;
import dev.spa.events.PruningRequest;
import dev.spa.ir.InputShapes;
import dev.spa.ir.Model;
import dev.spa.policy.PruningPolicy;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.select.SelectionOptions;
import dev.spa.select.TargetSpec;

import java.nio.file.Path;
import java.util.HashSet;

/** A pruning request from an event as the engine's policy; a request the engine cannot follow is a BAD_REQUEST. */
public final class Requests {
    private Requests() {
    }

    /** Checks a request before any work is spent on it (ingest); calibration data is only looked at by the scorer. */
    public static void check(PruningRequest request) {
        policy(request, request.getHessianSource().equals("calibration") ? Path.of("calibration-samples") : null);
        inputShapes(request);
        if (request.getLatencyThreads() > 64 || request.getLatencyBatch() > 4096) {
            throw new JobRejected("BAD_REQUEST", "the latency runtime asks for " + request.getLatencyThreads() + " threads and batch "
                    + request.getLatencyBatch() + "; at most 64 threads and batch 4096", false);
        }
        if (request.getHessianSource().equals("calibration") && request.getCalibrationUri().isEmpty()) {
            throw new JobRejected("BAD_REQUEST", "the calibration Hessian source needs calibration_uri", false);
        }
    }

    /** @param calibration where the calibration samples were downloaded, with the calibration source */
    public static PruningPolicy policy(PruningRequest request, Path calibration) {
        try {
            SelectionOptions selection = new SelectionOptions(TargetSpec.parse(request.getTarget()).cost(), request.getGlobal(),
                    Math.max(1, request.getMinChannels()), Math.max(1, request.getRoundTo()), new HashSet<>(request.getExcludeList()),
                    request.hasFloor() ? request.getFloor() : SelectionOptions.DEFAULT_FLOOR);
            PruningPolicy policy = PruningPolicy.of(request.getCriterion(), selection)
                    .withSource(request.getHessianSource().isEmpty() ? "data-free" : request.getHessianSource(), calibration)
                    .withUpdate(request.getUpdate());
            InputStatistics stated = inputStatistics(request);
            return stated == null ? policy : policy.withInputStatistics(stated);
        } catch (SpaException e) {
            throw new JobRejected("BAD_REQUEST", e.getMessage(), false, e);
        }
    }

    /** The shapes the request states for the model's inputs (none: free dimensions are priced at 1). */
    public static InputShapes inputShapes(PruningRequest request) {
        try {
            return InputShapes.parse(request.getInputShapeList());
        } catch (SpaException e) {
            throw new JobRejected("BAD_REQUEST", e.getMessage(), false, e);
        }
    }

    /** The model as the job's stages see it: its inputs at the shapes the request states (the published model keeps its own). */
    public static Model asStated(Model model, PruningRequest request) {
        try {
            return inputShapes(request).applyTo(model);
        } catch (SpaException e) {
            throw new JobRejected("BAD_REQUEST", e.getMessage(), false, e);
        }
    }

    /** The runtime the request's latency target and the exporter's timing are for: ONNX Runtime CPU, 2 threads and batch 1 unless stated. */
    public static LatencyRuntime latencyRuntime(PruningRequest request) {
        try {
            return new LatencyRuntime(ExecutionProvider.CPU, request.getLatencyThreads() > 0 ? request.getLatencyThreads() : LatencyRuntime.DEFAULT.threads(),
                    request.getLatencyBatch() > 0 ? request.getLatencyBatch() : LatencyRuntime.DEFAULT.batch());
        } catch (SpaException e) {
            throw new JobRejected("BAD_REQUEST", e.getMessage(), false, e);
        }
    }

    /** What the request states of the model's input (per channel, else one mean and std), or null. */
    public static InputStatistics inputStatistics(PruningRequest request) {
        try {
            if (request.getInputChannelMeanCount() > 0 || request.getInputChannelStdCount() > 0) {
                return InputStatistics.stated(
                        request.getInputChannelMeanCount() > 0 ? toArray(request.getInputChannelMeanList()) : new double[] {0},
                        request.getInputChannelStdCount() > 0 ? toArray(request.getInputChannelStdList()) : new double[] {1});
            }
            return request.getInputStd() > 0 ? InputStatistics.stated(new double[] {request.getInputMean()}, new double[] {request.getInputStd()}) : null;
        } catch (SpaException e) {
            throw new JobRejected("BAD_REQUEST", e.getMessage(), false, e);
        }
    }

    private static double[] toArray(java.util.List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
