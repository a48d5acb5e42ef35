package dev.spa.cli;

import dev.spa.SpaException;
import dev.spa.policy.PruningPolicy;
import dev.spa.runtime.InputStatistics;
import dev.spa.select.SelectionOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The prune command's flags as a {@link PruningPolicy}: criterion, Hessian source, update, OBSPA's knobs. */
final class ObspaOptions {
    static final Set<String> VALUED = Set.of("update", "calibration", "dampening", "obspa-order", "input-mean", "input-std", "rho",
            "ood-samples", "aggregate", "normalize", "seed");
    static final Set<String> FLAGS = Set.of("ood", "data-free", "auto", "independent-channels");

    private ObspaOptions() {
    }

    /** --input-mean/--input-std as stated (one value, or one per channel: 0.485,0.456,0.406), or null for the model's own. */
    static InputStatistics inputStatistics(Args args) {
        if (!args.has("input-mean") && !args.has("input-std")) {
            return null;
        }
        return InputStatistics.stated(args.get("input-mean", "0"), args.get("input-std", "1"));
    }

    static PruningPolicy policy(Args args, SelectionOptions selection) {
        String criterion = args.get("criterion", "l1");
        String update = args.get("update", "");
        return new PruningPolicy(criterion, selection, source(args, criterion, update),
                args.has("calibration") ? Path.of(args.require("calibration")) : null, update,
                inputStatistics(args), args.number("rho", 0.5), !args.has("independent-channels"),
                args.number("dampening", 0.1), args.get("obspa-order", "greedy"), (int) args.number("ood-samples", 256),
                (long) args.number("seed", 0), args.get("aggregate", "sum"), args.get("normalize", ""));
    }

    /** The source flag given; none: auto for OBSPA's own scores (as the platform's default), data-free otherwise. */
    private static String source(Args args, String criterion, String update) {
        List<String> given = new ArrayList<>();
        for (String flag : List.of("calibration", "ood", "data-free", "auto")) {
            if (args.has(flag)) {
                given.add(flag);
            }
        }
        if (given.size() > 1) {
            throw new SpaException("give one Hessian source: --calibration FILE, --ood, --data-free or --auto (given: --"
                    + String.join(", --", given) + ")");
        }
        if (!given.isEmpty()) {
            return given.get(0);
        }
        return PruningPolicy.choosable(criterion, update) ? PruningPolicy.AUTO : "data-free";
    }
}
