package dev.spa.exporter;

import dev.spa.events.PruningRequest;
import dev.spa.select.TargetSpec;

/**
 * The floor a job's agreement is held to: the request's {@code agreement=} target, else its quality_floor, else the
 * configured default for what the guard measured on what: top-1 agreement (or logit cosine) on calibration samples,
 * 1 − output error on calibration samples for a model that is not a classifier, anything on synthetic inputs.
 */
record QualityFloors(double calibration, double output, double synthetic) {
    double of(PruningRequest request, boolean calibrated, boolean classifier) {
        TargetSpec spec = TargetSpec.parse(request.getTarget());
        if (spec.hasAgreement()) {
            return spec.agreement();
        }
        if (request.hasQualityFloor()) {
            return request.getQualityFloor();
        }
        return !calibrated ? synthetic : classifier ? calibration : output;
    }
}
