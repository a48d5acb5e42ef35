package dev.spa.rules;

/** What a constant's slice is to the channel it belongs to. */
public enum Role {
    /** Rows of the weight that produces the channel (Conv output channel, Linear output feature), and its bias. */
    OUTPUT,
    /** Columns of a weight that reads the channel (the next layer's input slice): zeroed by the oracle, updated by OBSPA. */
    INPUT,
    /** Other per-channel parameters on the channel's path (BatchNorm, LayerNorm, embeddings, added constants). */
    PARAM,
    /** An activation, not a constant. */
    ACTIVATION
}
