package dev.spa.quality;

/**
 * The floor a job's agreement is held to when it states none, by what the guard measured on what: top-1 agreement (or
 * logit cosine) on calibration samples, 1 − output error on calibration samples for a model that is not a classifier,
 * anything on synthetic inputs. A request's own floor or agreement target comes first (the exporter's quality guard).
 */
public record QualityFloors(double calibration, double output, double synthetic) {
    /**
     * The platform's defaults (the exporter's {@code spa.quality.floor}, {@code floor-output}, {@code floor-synthetic}), which
     * the benchmarks judge against: synthetic agreement only catches collapsed models (BENCHMARKS.md, quality), and a healthy
     * detector keeps its outputs' variation only in part (BENCHMARKS.md, detectors).
     */
    public static final QualityFloors DEFAULTS = new QualityFloors(0.9, 0.5, 0.2);

    public double of(boolean calibrated, boolean classifier) {
        return !calibrated ? synthetic : classifier ? calibration : output;
    }
}
