package dev.spa.cli;

import dev.spa.SpaException;
import dev.spa.deps.Analysis;
import dev.spa.linalg.CpuLinalg;
import dev.spa.obspa.CapturedHessians;
import dev.spa.obspa.DataFreeHessians;
import dev.spa.obspa.HessianSource;
import dev.spa.obspa.Obspa;
import dev.spa.runtime.SampleBatches;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** The prune command's OBSPA options: which Hessian source, how much dampening. */
final class ObspaOptions {
    static final Set<String> VALUED = Set.of("update", "calibration", "dampening", "obspa-order", "input-mean", "input-std", "rho", "ood-samples");
    static final Set<String> FLAGS = Set.of("ood", "data-free");

    private ObspaOptions() {
    }

    static boolean wanted(Args args) {
        return args.get("criterion", "l1").equals("obspa") || args.get("update", "none").equals("obspa");
    }

    static Obspa build(Args args, Analysis analysis, PrintStream err) {
        HessianSource source = source(args, analysis);
        return new Obspa(analysis, source, new CpuLinalg(), args.number("dampening", 0.01), err::println);
    }

    private static HessianSource source(Args args, Analysis analysis) {
        int chosen = (args.has("calibration") ? 1 : 0) + (args.has("ood") ? 1 : 0) + (args.has("data-free") ? 1 : 0);
        if (chosen > 1) {
            throw new SpaException("give one Hessian source: --calibration FILE, --ood or --data-free");
        }
        long[] sample = SampleBatches.sampleShape(analysis.model());
        if (args.has("calibration")) {
            Path file = Path.of(args.require("calibration"));
            return new CapturedHessians(SampleBatches.fromFile(file, sample), "calibration data " + file.getFileName());
        }
        if (args.has("ood")) {
            int n = (int) args.number("ood-samples", 256);
            double mean = args.number("input-mean", 0);
            double std = args.number("input-std", 1);
            return new CapturedHessians(SampleBatches.gaussian(sample, n, mean, std, (long) args.number("seed", 0)),
                    "Gaussian noise N(" + mean + ", " + std + "²)");
        }
        return new DataFreeHessians(args.number("input-mean", 0), args.number("input-std", 1), args.number("rho", 0.5));
    }
}
