package dev.spa.select;

import dev.spa.SpaException;
import dev.spa.cost.Cost;

/**
 * How much to prune: a channel ratio to remove ({@code ratio=0.3}), or the fraction of the
 * original parameters or MACs to keep at most ({@code params=0.5}, {@code macs=0.5}), or of its latency
 * ({@code latency=0.5}: measured on a runtime, see {@code latency.LatencyTargetSearch}).
 */
public record Target(Kind kind, double value) {
    /** LATENCY: the pruned model's measured latency at most this share of the original's, on a stated runtime. */
    public enum Kind { RATIO, PARAMS, MACS, LATENCY }

    public Target {
        if (!(value >= 0 && value < 1) && !(kind != Kind.RATIO && value > 0 && value <= 1)) {
            throw new SpaException("target " + kind.name().toLowerCase() + "=" + value + " is out of range: "
                    + (kind == Kind.RATIO ? "a ratio to remove in [0, 1)" : "a fraction to keep in (0, 1]"));
        }
    }

    public static Target ratio(double r) {
        return new Target(Kind.RATIO, r);
    }

    /** Parses "macs=0.5", "params=0.5", "latency=0.5" or "ratio=0.3". */
    public static Target parse(String text) {
        String[] kv = text.split("=", 2);
        if (kv.length != 2) {
            throw new SpaException("target '" + text + "' must look like macs=0.5, params=0.5, latency=0.5 or ratio=0.3");
        }
        double v;
        try {
            v = Double.parseDouble(kv[1]);
        } catch (NumberFormatException e) {
            throw new SpaException("target '" + text + "' has a value that is not a number");
        }
        switch (kv[0].trim().toLowerCase()) {
            case "macs": return new Target(Kind.MACS, v);
            case "params": return new Target(Kind.PARAMS, v);
            case "latency": return new Target(Kind.LATENCY, v);
            case "ratio": case "channels": return new Target(Kind.RATIO, v);
            default: throw new SpaException("target kind '" + kv[0] + "' is unknown: use macs, params, latency or ratio");
        }
    }

    /** The share of the original's cost this target measures that a plan keeps: MACs for macs=, parameters otherwise. */
    public double keptShare(Cost original, Cost after) {
        if (kind == Kind.LATENCY) {
            throw new SpaException("a latency target is met by measuring the model, not by counting its cost");
        }
        return kind == Kind.MACS ? after.macsRatio(original) : after.paramsRatio(original);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + "=" + value;
    }
}
