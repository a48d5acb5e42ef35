package dev.spa.policy;

/** How the kept weights are updated after channels go. */
public enum UpdateKind implements Labelled {
    /** Not stated: the one measured best for the criterion and the Hessian source ({@link PruningPolicy#effectiveUpdate}). */
    MEASURED_BEST(""),
    NONE("none"),
    /** OBSPA's all-at-once update: each layer's kept weights compensate for its removed inputs. */
    OBSPA("obspa"),
    /** Layer by layer, re-fitted to the pruned network's own activations (needs samples). */
    OBSPA_SEQUENTIAL("obspa-sequential");

    private final String label;

    UpdateKind(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    /** Whether OBSPA's solver (and so layer Hessians) is needed. */
    public boolean usesObspa() {
        return this == OBSPA || this == OBSPA_SEQUENTIAL;
    }

    public static UpdateKind parse(String label) {
        return Labelled.parse(UpdateKind.class, label, "update");
    }
}
