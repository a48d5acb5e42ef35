package dev.spa.ingest;

import dev.spa.SpaException;
import dev.spa.events.PruningRequest;
import dev.spa.runtime.InputStatistics;

import java.util.Arrays;

/** POST /models' query parameters as a pruning request: each one given overrides the configured policy. */
final class UploadPolicy {
    private final PruningRequest.Builder request = PruningRequest.newBuilder();

    UploadPolicy criterion(String criterion) {
        if (criterion != null) {
            request.setCriterion(criterion);
        }
        return this;
    }

    UploadPolicy target(String target) {
        if (target != null) {
            request.setTarget(target);
        }
        return this;
    }

    UploadPolicy global(Boolean global) {
        if (global != null) {
            request.setGlobal(global);
        }
        return this;
    }

    UploadPolicy hessian(String hessian) {
        if (hessian != null) {
            request.setHessianSource(hessian);
        }
        return this;
    }

    UploadPolicy roundTo(Integer roundTo) {
        if (roundTo != null) {
            request.setRoundTo(roundTo);
        }
        return this;
    }

    UploadPolicy floors(Double floor, Double qualityFloor) {
        if (floor != null) {
            request.setFloor(floor);
        }
        if (qualityFloor != null) {
            request.setQualityFloor(qualityFloor);
        }
        return this;
    }

    UploadPolicy evaluation(String inputs, String labels) {
        if (inputs != null && labels != null) {
            request.setEvaluationInputsUri(inputs).setEvaluationLabelsUri(labels);
        }
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

    PruningRequest build() {
        return request.build();
    }
}
