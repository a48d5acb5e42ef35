package dev.spa.rules;

import dev.spa.ir.Graph;
import dev.spa.ir.Shapes;

/**
 * What an operator rule can say while the analysis follows one tracked axis through one node:
 * which positions of which other axes go with it, or that it cannot be followed.
 */
public interface Coupling {
    Graph graph();

    Shapes shapes();

    /** Whether the analysis already follows this axis (its own propagation has run or is queued). */
    boolean tracked(Dim dim);

    /** Position i of a goes with position i of b (same size). */
    void identity(Dim a, Dim b);

    /** Position i of a goes with position offset + i of b. */
    void offset(Dim a, Dim b, int offset);

    /** Position i of a goes with positions [i*blockSize, (i+1)*blockSize) of b. */
    void blocks(Dim a, Dim b, int blockSize);

    /**
     * Position i of a goes with positions i, i + |a|, ..., i + (count - 1)|a| of b: a is the inner factor of b split
     * into (count, |a|), as a channel shuffle's channels within each of its count groups are.
     */
    void strided(Dim a, Dim b, int count);

    /** Both axes split into the same number of equal chunks; all positions of chunk k go together. */
    void chunks(Dim a, Dim b, int chunkCount);

    /** Records what a constant's slice is to the channel (output rows, input columns, parameters). */
    void role(Dim constant, Role role);

    /** The axis being followed cannot be pruned, for this reason. */
    void block(Dim dim, String reason);

    /** The axis can be pruned but the channels are mixed by this operator, so the oracle does not hold. */
    void mixing(Dim dim, String reason);
}
