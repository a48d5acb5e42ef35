package dev.spa.rules;

import dev.spa.ir.Tensor;

/** Read access to the graph's constant tensors, for rules that need weights or shape constants. */
public interface Constants {
    /** The constant with this name, or null if the value is computed. */
    Tensor get(String value);

    default boolean isConstant(String value) {
        return get(value) != null;
    }
}
