package dev.spa.cli;

import dev.spa.SpaException;
import dev.spa.plan.PruningPolicy;
import dev.spa.select.SelectionOptions;

import java.nio.file.Path;
import java.util.Set;

/** The prune command's flags as a {@link PruningPolicy}: criterion, Hessian source, update, OBSPA's knobs. */
final class ObspaOptions {
    static final Set<String> VALUED = Set.of("update", "calibration", "dampening", "obspa-order", "input-mean", "input-std", "rho",
            "ood-samples", "aggregate", "normalize", "seed");
    static final Set<String> FLAGS = Set.of("ood", "data-free", "independent-channels");

    private ObspaOptions() {
    }

    static PruningPolicy policy(Args args, SelectionOptions selection) {
        int chosen = (args.has("calibration") ? 1 : 0) + (args.has("ood") ? 1 : 0) + (args.has("data-free") ? 1 : 0);
        if (chosen > 1) {
            throw new SpaException("give one Hessian source: --calibration FILE, --ood or --data-free");
        }
        String source = args.has("calibration") ? "calibration" : args.has("ood") ? "ood" : "data-free";
        return new PruningPolicy(args.get("criterion", "l1"), selection, source,
                args.has("calibration") ? Path.of(args.require("calibration")) : null, args.get("update", ""),
                args.number("input-mean", 0), args.number("input-std", 1), args.number("rho", 0.5), !args.has("independent-channels"),
                args.number("dampening", 0.1), args.get("obspa-order", "greedy"), (int) args.number("ood-samples", 256),
                (long) args.number("seed", 0), args.get("aggregate", "sum"), args.get("normalize", ""));
    }
}
