package dev.spa.groups;

import dev.spa.rules.Dim;
import dev.spa.rules.Role;

/**
 * One slice of a group: the axis of a value and, for each channel of the group, the positions on
 * that axis that belong to it (one for a Conv row, a block for a Flatten, a chunk for a grouped Conv).
 */
public record Member(Dim dim, Role role, boolean constant, long axisSize, int[][] positions) {
    public int positionsPerChannel() {
        return positions.length == 0 ? 0 : positions[0].length;
    }
}
