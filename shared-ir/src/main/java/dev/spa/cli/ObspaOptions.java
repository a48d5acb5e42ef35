package dev.spa.cli;

import dev.spa.SpaException;
import dev.spa.deps.Analysis;
import dev.spa.linalg.CpuLinalg;
import dev.spa.obspa.CapturedHessians;
import dev.spa.obspa.DataFreeHessians;
import dev.spa.obspa.HessianSource;
import dev.spa.obspa.Obspa;
import dev.spa.obspa.ObspaUpdate;
import dev.spa.obspa.SequentialRefit;
import dev.spa.surgery.WeightUpdate;
import dev.spa.runtime.SampleBatches;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** The prune command's OBSPA options: which Hessian source, how much dampening. */
final class ObspaOptions {
    static final Set<String> VALUED = Set.of("update", "calibration", "dampening", "obspa-order", "input-mean", "input-std", "rho", "ood-samples");
    static final Set<String> FLAGS = Set.of("ood", "data-free", "independent-channels");

    private ObspaOptions() {
    }

    static boolean wanted(Args args) {
        return args.get("criterion", "l1").equals("obspa") || args.get("update", "none").startsWith("obspa");
    }

    static Obspa build(Args args, Analysis analysis, PrintStream err) {
        HessianSource source = source(args, analysis);
        return new Obspa(analysis, source, new CpuLinalg(), args.number("dampening", 0.1), err::println);
    }

    /** The weight update: none, OBSPA all at once, or OBSPA layer after layer on the samples. */
    static WeightUpdate update(Args args, Analysis analysis, Obspa obspa) {
        // measured on digits (BENCHMARKS.md): with calibration data the sequential re-fit is best; with
        // synthetic or no data the all-at-once update is (re-fitting to noise overfits it)
        String fallback = !args.get("criterion", "l1").equals("obspa") ? "none" : args.has("calibration") ? "obspa-sequential" : "obspa";
        String kind = args.get("update", fallback);
        switch (kind) {
            case "none": return WeightUpdate.NONE;
            case "obspa": return new ObspaUpdate(obspa);
            case "obspa-sequential": {
                SampleBatches samples = samples(args, analysis);
                if (samples == null) {
                    throw new SpaException("--update obspa-sequential needs samples: --calibration FILE or --ood");
                }
                return new SequentialRefit(obspa, analysis.model(), samples, new CpuLinalg());
            }
            default: throw new SpaException("unknown --update '" + kind + "' (none, obspa, obspa-sequential)");
        }
    }

    /** Calibration data or synthetic inputs, when the options name them. */
    private static SampleBatches samples(Args args, Analysis analysis) {
        long[] sample = SampleBatches.sampleShape(analysis.model());
        if (args.has("calibration")) {
            return SampleBatches.fromFile(Path.of(args.require("calibration")), sample);
        }
        if (args.has("ood")) {
            return SampleBatches.gaussian(sample, (int) args.number("ood-samples", 256), args.number("input-mean", 0),
                    args.number("input-std", 1), (long) args.number("seed", 0));
        }
        return null;
    }

    private static HessianSource source(Args args, Analysis analysis) {
        int chosen = (args.has("calibration") ? 1 : 0) + (args.has("ood") ? 1 : 0) + (args.has("data-free") ? 1 : 0);
        if (chosen > 1) {
            throw new SpaException("give one Hessian source: --calibration FILE, --ood or --data-free");
        }
        SampleBatches samples = samples(args, analysis);
        if (samples != null) {
            return new CapturedHessians(samples, args.has("calibration")
                    ? "calibration data " + Path.of(args.require("calibration")).getFileName()
                    : "Gaussian noise N(" + args.number("input-mean", 0) + ", " + args.number("input-std", 1) + "²)");
        }
        return new DataFreeHessians(args.number("input-mean", 0), args.number("input-std", 1), args.number("rho", 0.5),
                !args.has("independent-channels"));
    }
}
