package dev.spa.deps;

/** One axis of one value (activation or constant): the unit the dependency analysis tracks. */
public record Dim(String value, int axis) {
    @Override
    public String toString() {
        return value + "[axis " + axis + "]";
    }
}
