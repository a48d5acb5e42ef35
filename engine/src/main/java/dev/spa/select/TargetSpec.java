package dev.spa.select;

import dev.spa.SpaException;

/**
 * A target as users write it: a cost target ({@code macs=0.5}, {@code params=0.7}, {@code ratio=0.3}),
 * a quality target ({@code agreement=0.99}: top-1 agreement with the original on the reference
 * inputs, or 1 − output error for a model that is not a classifier: {@code runtime.Agreement#outputError}), or both, comma-separated
 * ({@code macs=0.25,agreement=0.99}: cut as far as a quarter of the MACs while agreement stays at
 * 0.99 or more). A quality target alone cuts as far as the floors allow.
 *
 * @param agreement the quality floor, or 0 for none
 */
public record TargetSpec(Target cost, double agreement) {
    /** The cost target of a quality target given alone: as far as the floors allow. */
    private static final double AS_FAR_AS_FLOORS_ALLOW = 1e-6;

    public TargetSpec {
        if (!(agreement >= 0 && agreement <= 1)) {
            throw new SpaException("target agreement=" + agreement + " is out of range: a share in (0, 1]");
        }
        if (agreement > 0 && cost.kind() == Target.Kind.LATENCY) {
            throw new SpaException("an agreement target combines with macs= or params=, not with a latency target");
        }
        if (agreement > 0 && cost.kind() == Target.Kind.RATIO && cost.value() > 0) {
            throw new SpaException("an agreement target combines with macs= or params=, not with a channel ratio");
        }
    }

    public static TargetSpec parse(String text) {
        Target cost = null;
        double agreement = 0;
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.toLowerCase().startsWith("agreement=")) {
                try {
                    agreement = Double.parseDouble(p.substring("agreement=".length()));
                } catch (NumberFormatException e) {
                    throw new SpaException("target '" + p + "' has a value that is not a number");
                }
                if (!(agreement > 0 && agreement <= 1)) {
                    throw new SpaException("target '" + p + "' is out of range: agreement is a share in (0, 1]");
                }
            } else if (cost != null) {
                throw new SpaException("target '" + text + "' names two cost targets; give one of macs=, params=, latency=, ratio=");
            } else {
                cost = Target.parse(p);
            }
        }
        if (cost == null) {
            if (agreement == 0) {
                throw new SpaException("target '" + text + "' names nothing to reach");
            }
            cost = new Target(Target.Kind.MACS, AS_FAR_AS_FLOORS_ALLOW);
        }
        return new TargetSpec(cost, agreement);
    }

    public boolean hasAgreement() {
        return agreement > 0;
    }

    @Override
    public String toString() {
        return hasAgreement() ? (cost.value() <= AS_FAR_AS_FLOORS_ALLOW ? "" : cost + ",") + "agreement=" + agreement : cost.toString();
    }
}
