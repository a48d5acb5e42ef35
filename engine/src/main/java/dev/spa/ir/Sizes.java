package dev.spa.ir;

import dev.spa.SpaException;

import java.util.Arrays;

/**
 * Element and byte counts of a declared shape, computed with overflow checks before anything is
 * allocated: a file of a few bytes can declare a tensor of 2^62 elements, or dims that multiply
 * around to a small or negative count.
 */
public final class Sizes {
    /** The most bytes one tensor may hold here: one Java array. */
    public static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;

    private Sizes() {
    }

    /** The number of elements of {@code dims}; refuses negative dims and counts past 2^63. */
    public static long elements(String what, long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new SpaException(what + " has a negative dimension in its shape " + Arrays.toString(dims));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new SpaException(what + " has the shape " + Arrays.toString(dims) + ", more elements than any model can hold");
            }
        }
        return n;
    }

    /** The bytes {@code dims} of {@code elementSize}-byte elements take; refuses more than one tensor may hold. */
    public static long bytes(String what, long[] dims, int elementSize) {
        long n = elements(what, dims);
        if (n > MAX_TENSOR_BYTES / Math.max(1, elementSize)) {
            throw new SpaException(what + " has the shape " + Arrays.toString(dims) + ": " + n + " elements of " + elementSize
                    + " bytes, over the " + MAX_TENSOR_BYTES + " bytes one tensor may hold");
        }
        return n * elementSize;
    }
}
