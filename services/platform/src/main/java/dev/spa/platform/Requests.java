package dev.spa.platform;

import dev.spa.SpaException;
import dev.spa.events.PruningRequest;
import dev.spa.ir.InputShapes;
import dev.spa.ir.Model;
import dev.spa.policy.CriterionKind;
import dev.spa.policy.HessianSourceKind;
import dev.spa.policy.PruningPolicy;
import dev.spa.policy.UpdateKind;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.select.SelectionOptions;
import dev.spa.select.TargetSpec;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/** A pruning request from an event as the engine's policy; a request the engine cannot follow is a BAD_REQUEST. */
public final class Requests {
    private Requests() {
    }

    /** Checks a request before any work is spent on it (ingest); calibration data is only looked at by the scorer. */
    public static void check(PruningRequest request) {
        policy(request, calibrated(request) ? Path.of("calibration-samples") : null);
        inputShapes(request);
        if (request.getLatencyThreads() > 64 || request.getLatencyBatch() > 4096) {
            throw new JobRejected("BAD_REQUEST", "the latency runtime asks for " + request.getLatencyThreads() + " threads and batch "
                    + request.getLatencyBatch() + "; at most 64 threads and batch 4096", false);
        }
        if (calibrated(request) && request.getCalibrationUri().isEmpty()) {
            throw new JobRejected("BAD_REQUEST", "the calibration Hessian source needs calibration_uri", false);
        }
    }

    /** @param calibration where the calibration samples were downloaded, with the calibration source */
    public static PruningPolicy policy(PruningRequest request, Path calibration) {
        try {
            SelectionOptions selection = new SelectionOptions(TargetSpec.parse(request.getTarget()).cost(), request.getGlobal(),
                    Math.max(1, request.getMinChannels()), Math.max(1, request.getRoundTo()), new HashSet<>(request.getExcludeList()),
                    request.hasFloor() ? request.getFloor() : SelectionOptions.DEFAULT_FLOOR);
            return PruningPolicy.builder(CriterionKind.parse(request.getCriterion()), selection)
                    .source(hessianSource(request), calibration)
                    .update(UpdateKind.parse(request.getUpdate()))
                    .inputStatistics(inputStatistics(request))
                    .build();
        } catch (SpaException e) {
            throw new JobRejected("BAD_REQUEST", e.getMessage(), false, e);
        }
    }

    /** The request's Hessian source (none named: data-free). */
    public static HessianSourceKind hessianSource(PruningRequest request) {
        return request.getHessianSource().isEmpty() ? HessianSourceKind.DATA_FREE : HessianSourceKind.parse(request.getHessianSource());
    }

    /** Whether the request's Hessians are captured on its calibration samples. */
    public static boolean calibrated(PruningRequest request) {
        return request.getHessianSource().equals(HessianSourceKind.CALIBRATION.label());
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

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
