package dev.spa.policy;

import dev.spa.SpaException;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** A policy choice with the name users type (CLI flags, request fields): parsed from it with an error that lists the names. */
public interface Labelled {
    String label();

    /**
     * The constant of {@code type} whose label (for a {@link Labelled} enum) or lower-case name is {@code label}, in any case.
     *
     * @param what the choice's name in the error ("criterion", "update", ...)
     */
    static <E extends Enum<E>> E parse(Class<E> type, String label, String what) {
        for (E e : type.getEnumConstants()) {
            if (labelOf(e).equalsIgnoreCase(label)) {
                return e;
            }
        }
        List<String> names = Stream.of(type.getEnumConstants()).map(Labelled::labelOf).filter(l -> !l.isEmpty()).toList();
        String last = names.get(names.size() - 1);
        String choices = names.size() == 1 ? last : String.join(", ", names.subList(0, names.size() - 1)) + " or " + last;
        throw new SpaException(what + " '" + label + "' is unknown: use " + choices);
    }

    static String labelOf(Enum<?> e) {
        return e instanceof Labelled l ? l.label() : e.name().toLowerCase(Locale.ROOT);
    }
}
