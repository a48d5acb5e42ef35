package dev.spa.ingest;

import dev.spa.SpaException;
import dev.spa.events.PruningRequest;
import dev.spa.runtime.InputStatistics;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** POST /models' query parameters as a pruning request: each one given overrides the configured policy. */
final class UploadPolicy {
    private final PruningRequest.Builder request = PruningRequest.newBuilder();

    UploadPolicy criterion(String criterion) {
        ifGiven(criterion, request::setCriterion);
        return this;
    }

    UploadPolicy target(String target) {
        ifGiven(target, request::setTarget);
        return this;
    }

    UploadPolicy global(Boolean global) {
        ifGiven(global, request::setGlobal);
        return this;
    }

    UploadPolicy hessian(String hessian) {
        ifGiven(hessian, request::setHessianSource);
        return this;
    }

    /** A multiple ("8"), or "kernels": the steps the kernels run at on the job's runtime, measured. */
    UploadPolicy roundTo(String roundTo) {
        if (roundTo == null) {
            return this;
        }
        if (roundTo.equals("kernels")) {
            request.setRoundToKernels(true);
            return this;
        }
        try {
            request.setRoundTo(Integer.parseInt(roundTo)).setRoundToKernels(false);
        } catch (NumberFormatException e) {
            throw new SpaException("round-to must be a whole number or 'kernels', not '" + roundTo + "'");
        }
        return this;
    }

    UploadPolicy floors(Double floor, Double qualityFloor) {
        ifGiven(floor, request::setFloor);
        ifGiven(qualityFloor, request::setQualityFloor);
        return this;
    }

    UploadPolicy evaluation(String inputs, String labels) {
        if (inputs != null && labels != null) {
            request.setEvaluationInputsUri(inputs).setEvaluationLabelsUri(labels);
        }
        return this;
    }

    /** {@code ?input-shape=x=1,3,48,192}, repeatable: checked when the request is (Requests.check). */
    UploadPolicy inputShapes(List<String> shapes) {
        if (shapes != null) {
            request.addAllInputShape(shapes);
        }
        return this;
    }

    UploadPolicy bestEffort(Boolean closest) {
        ifGiven(closest, request::setBestEffort);
        return this;
    }

    UploadPolicy failIfSlower(Boolean fail) {
        ifGiven(fail, request::setFailIfSlower);
        return this;
    }

    /** The runtime a latency target and the exporter's timing are for: ONNX Runtime CPU intra-op threads and batch size. */
    UploadPolicy latencyRuntime(Integer threads, Integer batch) {
        if ((threads != null && threads < 1) || (batch != null && batch < 1)) {
            throw new SpaException("latency-threads and latency-batch must be at least 1, not " + threads + " and " + batch);
        }
        ifGiven(threads, request::setLatencyThreads);
        ifGiven(batch, request::setLatencyBatch);
        return this;
    }

    UploadPolicy deadline(Integer seconds) {
        if (seconds != null) {
            if (seconds < 1) {
                throw new SpaException("deadline must be at least 1 second, not " + seconds);
            }
            request.setDeadlineSeconds(seconds);
        }
        return this;
    }

    /** Per-channel input statistics as comma-separated lists ("0.485,0.456,0.406"). */
    UploadPolicy inputStatistics(String mean, String std) {
        if (mean != null || std != null) {
            InputStatistics stated = InputStatistics.stated(mean == null ? "0" : mean, std == null ? "1" : std);
            Arrays.stream(stated.mean()).forEach(request::addInputChannelMean);
            Arrays.stream(stated.std()).forEach(request::addInputChannelStd);
        }
        return this;
    }

    private static <T> void ifGiven(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    PruningRequest build() {
        return request.build();
    }
}
