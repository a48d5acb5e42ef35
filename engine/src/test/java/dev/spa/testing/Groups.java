package dev.spa.testing;

import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.groups.Member;
import dev.spa.rules.Dim;

/** Finding the group, and the member in it, that holds an axis of a named value. */
public final class Groups {
    private Groups() {
    }

    /** The group with a member on {@code axis} of {@code value}, or null where no group has one. */
    public static Group groupOf(Analysis a, String value, int axis) {
        for (Group g : a.groups()) {
            for (Member m : g.members()) {
                if (m.dim().equals(new Dim(value, axis))) {
                    return g;
                }
            }
        }
        return null;
    }

    public static Member member(Group g, String value, int axis) {
        return g.members().stream().filter(m -> m.dim().equals(new Dim(value, axis))).findFirst().orElseThrow();
    }
}
