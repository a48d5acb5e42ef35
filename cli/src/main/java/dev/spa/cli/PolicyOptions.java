package dev.spa.cli;

import dev.spa.SpaException;
import dev.spa.importance.GroupScorer.Aggregation;
import dev.spa.importance.GroupScorer.Normalization;
import dev.spa.obspa.ObspaCriterion.Order;
import dev.spa.policy.CriterionKind;
import dev.spa.policy.HessianSourceKind;
import dev.spa.policy.Labelled;
import dev.spa.policy.PruningPolicy;
import dev.spa.policy.UpdateKind;
import dev.spa.runtime.InputStatistics;
import dev.spa.select.SelectionOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The prune command's flags as a {@link PruningPolicy}: criterion, Hessian source, update, OBSPA's knobs. */
final class PolicyOptions {
    static final Set<String> VALUED = Set.of("update", "calibration", "dampening", "obspa-order", "input-mean", "input-std", "rho",
            "ood-samples", "aggregate", "normalize", "seed");
    static final Set<String> FLAGS = Set.of("ood", "data-free", "auto", "independent-channels");

    private PolicyOptions() {
    }

    /** --input-mean/--input-std as stated (one value, or one per channel: 0.485,0.456,0.406), or null for the model's own. */
    static InputStatistics inputStatistics(Args args) {
        if (!args.has("input-mean") && !args.has("input-std")) {
            return null;
        }
        return InputStatistics.stated(args.get("input-mean", "0"), args.get("input-std", "1"));
    }

    /** The flags onto the policy's builder: what is stated replaces the default, nothing else. */
    static PruningPolicy policy(Args args, SelectionOptions selection) {
        CriterionKind criterion = CriterionKind.parse(args.get("criterion", "l1"));
        UpdateKind update = UpdateKind.parse(args.get("update", ""));
        PruningPolicy.Builder b = PruningPolicy.builder(criterion, selection).update(update)
                .source(source(args, criterion, update), args.has("calibration") ? Path.of(args.require("calibration")) : null)
                .inputStatistics(inputStatistics(args))
                .channelCovariance(!args.has("independent-channels"));
        if (args.has("rho")) {
            b.rho(args.number("rho", 0));
        }
        if (args.has("dampening")) {
            b.dampening(args.number("dampening", 0));
        }
        if (args.has("obspa-order")) {
            b.order(Labelled.parse(Order.class, args.get("obspa-order", ""), "OBSPA order"));
        }
        if (args.has("ood-samples")) {
            b.oodSamples((int) args.number("ood-samples", 0));
        }
        if (args.has("seed")) {
            b.seed((long) args.number("seed", 0));
        }
        if (args.has("aggregate")) {
            b.aggregate(Labelled.parse(Aggregation.class, args.get("aggregate", ""), "aggregation"));
        }
        if (args.has("normalize")) {
            b.normalize(Labelled.parse(Normalization.class, args.get("normalize", ""), "normalization"));
        }
        return b.build();
    }

    /** The source flag given; none: auto for OBSPA's own scores (as the platform's default), data-free otherwise. */
    private static HessianSourceKind source(Args args, CriterionKind criterion, UpdateKind update) {
        List<String> given = new ArrayList<>();
        for (HessianSourceKind kind : HessianSourceKind.values()) {
            if (args.has(kind.label())) {
                given.add(kind.label());
            }
        }
        if (given.size() > 1) {
            throw new SpaException("give one Hessian source: --calibration FILE, --ood, --data-free or --auto (given: --"
                    + String.join(", --", given) + ")");
        }
        if (!given.isEmpty()) {
            return HessianSourceKind.parse(given.get(0));
        }
        return PruningPolicy.choosable(criterion, update) ? HessianSourceKind.AUTO : HessianSourceKind.DATA_FREE;
    }
}
