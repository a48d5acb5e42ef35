package dev.spa.exporter;

import dev.spa.SpaException;
import dev.spa.events.PruningRequest;
import dev.spa.groups.Analysis;
import dev.spa.ir.Model;
import dev.spa.platform.JobRejected;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.Requests;
import dev.spa.platform.StoredFiles;
import dev.spa.quality.QualityFloors;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.select.TargetSpec;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The quality guard: every pruned model is compared with its original on the job's reference inputs
 * (its calibration samples when it has any, else synthetic inputs with the statistics it assumed),
 * and a job whose agreement falls under its floor fails with QUALITY_BELOW_FLOOR before anything is
 * published. The floor is the request's agreement target, else its quality_floor, else the configured
 * one for the kind of reference and measure (synthetic top-1 agreement sits far below real accuracy, so its
 * default only catches collapsed models: BENCHMARKS.md, quality; the output error of a model that is not a
 * classifier counts how its outputs' variation is kept, which a healthy pruned model keeps only in part).
 */
@ApplicationScoped
public class QualityGuard {
    @ConfigProperty(name = "spa.quality.floor", defaultValue = "0.9")
    double calibrationFloor;

    @ConfigProperty(name = "spa.quality.floor-synthetic", defaultValue = "0.2")
    double syntheticFloor;

    /**
     * On calibration samples, for a model that is not a classifier (1 − output error): a pruned face detector that keeps
     * every face scores 0.78 there, one that keeps half of them 0.50, collapsed ones 0.01 (BENCHMARKS.md, detectors).
     */
    @ConfigProperty(name = "spa.quality.floor-output", defaultValue = "0.5")
    double outputFloor;

    /** The originals' outputs on synthetic reference inputs kept for later jobs on the same model: this many MB at most. */
    @ConfigProperty(name = "spa.quality.baseline-cache-mb", defaultValue = "64")
    long baselineCacheMb;

    private BaselineCache baselines;

    @PostConstruct
    void createCache() {
        baselines = new BaselineCache(baselineCacheMb * 1_000_000);
    }

    /** What the guard measured and held the model to. */
    public record Checked(Agreement agreement, double floor, InputStatistics inputStatistics) {
        public dev.spa.events.Agreement toEvent() {
            dev.spa.events.Agreement.Builder b = dev.spa.events.Agreement.newBuilder().setMeasure(agreement.measureName())
                    .setScore(agreement.score()).setFloor(floor).setRelativeError(agreement.relativeError())
                    .setVariationError(agreement.variationError()) // NaN where no output of the original varies
                    .setSamples(agreement.samples()).setReference(agreement.reference());
            if (agreement.classifier()) {
                b.setTop1(agreement.top1()).setLogitCosine(agreement.cosine());
            }
            return b.build();
        }
    }

    public Checked check(ObjectStore store, PruningRequest request, Analysis analysis, Model pruned) {
        Path calibration = Requests.calibrated(request) && !request.getCalibrationUri().isEmpty()
                ? StoredFiles.fetch(store, request.getCalibrationUri(), "calibration data", "CALIBRATION_NOT_FOUND") : null;
        try {
            Model original = analysis.model();
            InputStatistics stats = InputStatistics.forModel(original, Requests.inputStatistics(request));
            ReferenceInputs reference = ReferenceInputs.of(original, calibration, stats);
            Agreement agreement = (calibration != null ? Agreement.Baseline.of(original, reference) : baselines.of(original, reference))
                    .compare(pruned);
            double floor = floor(request, calibration != null, agreement.classifier());
            if (agreement.score() < floor) {
                throw new JobRejected("QUALITY_BELOW_FLOOR", String.format(Locale.ROOT,
                        "the pruned model's %s is %.3f, below the floor %.3f (%s); nothing was published",
                        agreement.measureName(), agreement.score(), floor, agreement.describe()), false);
            }
            return new Checked(agreement, floor, stats);
        } catch (JobRejected e) {
            throw e;
        } catch (SpaException e) {
            throw new JobRejected("QUALITY_CHECK_FAILED", e.getMessage(), false, e);
        } finally {
            StoredFiles.delete(calibration);
        }
    }

    private double floor(PruningRequest request, boolean calibrated, boolean classifier) {
        return floor(request, new QualityFloors(calibrationFloor, outputFloor, syntheticFloor), calibrated, classifier);
    }

    /** The request's agreement target, else its quality_floor, else the configured default for the reference and the measure. */
    static double floor(PruningRequest request, QualityFloors defaults, boolean calibrated, boolean classifier) {
        TargetSpec spec = TargetSpec.parse(request.getTarget());
        if (spec.hasAgreement()) {
            return spec.agreement();
        }
        if (request.hasQualityFloor()) {
            return request.getQualityFloor();
        }
        return defaults.of(calibrated, classifier);
    }
}
