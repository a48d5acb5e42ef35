package dev.spa.policy;

/** Where OBSPA's layer Hessians come from. */
public enum HessianSourceKind implements Labelled {
    /** Moments propagated through the network from the input's statistics: no samples at all. */
    DATA_FREE("data-free"),
    /** Captured on synthetic inputs (dead-leaves images, or token sequences for a model of token ids). */
    SYNTHETIC("ood"),
    /** Captured on the user's calibration samples. */
    CALIBRATION("calibration"),
    /** The data-free candidate whose pruned model stays closest to the original ({@code quality.DataFreeChoice}). */
    AUTO("auto");

    private final String label;

    HessianSourceKind(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    /** Whether samples are run through the model to capture the Hessians (synthetic or calibration). */
    public boolean capturesSamples() {
        return this == SYNTHETIC || this == CALIBRATION;
    }

    public static HessianSourceKind parse(String label) {
        return Labelled.parse(HessianSourceKind.class, label, "Hessian source");
    }
}
