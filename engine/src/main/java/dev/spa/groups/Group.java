package dev.spa.groups;

import dev.spa.rules.Role;
import java.util.List;

/**
 * A set of coupled channels that share the same slices: the unit of pruning. Removing channel c
 * removes positions[c] from every member.
 */
public record Group(int id, int channels, List<Member> members, List<String> blockedReasons,
                    List<String> mixingReasons) {
    public boolean prunable() {
        return blockedReasons.isEmpty() && channels > 1;
    }

    public boolean channelMixing() {
        return !mixingReasons.isEmpty();
    }

    /** A readable name: the first constant member that produces the channels. */
    public String label() {
        for (Member m : members) {
            if (m.role() == Role.OUTPUT) {
                return m.dim().value();
            }
        }
        return members.get(0).dim().value();
    }
}
