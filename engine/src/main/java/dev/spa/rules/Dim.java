package dev.spa.rules;

/**
 * One axis of one value (activation or constant): the unit the dependency analysis tracks.
 *
 * <p>A folded dim ({@code fold > 0}) is the innermost factor of an axis that holds several things
 * at once: multi-head attention exported by PyTorch reshapes [T, N, H*d] to [T, N*H, d], folding
 * the H heads into the batch axis, whose index is then n*H + h. Such a dim tracks h only, has
 * {@code fold} positions, and may sit on a dynamic axis.
 */
public record Dim(String value, int axis, int fold) {
    public Dim(String value, int axis) {
        this(value, axis, 0);
    }

    public boolean folded() {
        return fold > 0;
    }

    /** The same kind of dim (folded alike) on another value's axis. */
    public Dim on(String otherValue, int otherAxis) {
        return new Dim(otherValue, otherAxis, fold);
    }

    @Override
    public String toString() {
        return value + "[axis " + axis + (folded() ? ", inner " + fold + " of it" : "") + "]";
    }
}
