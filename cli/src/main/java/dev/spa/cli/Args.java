package dev.spa.cli;

import dev.spa.SpaException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options: positional arguments, {@code --name value} options and {@code --flag} switches. */
final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    private final Map<String, List<String>> every = new HashMap<>();

    Args(String[] argv, int from, Set<String> valued, Set<String> flags) {
        for (int i = from; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("-") && a.length() > 1) {
                String name = a.replaceFirst("^--?", "");
                String value = null;
                if (name.contains("=") && valued.contains(name.substring(0, name.indexOf('=')))) {
                    value = name.substring(name.indexOf('=') + 1);
                    name = name.substring(0, name.indexOf('='));
                }
                if (flags.contains(name)) {
                    options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.length) {
                            throw new SpaException("option --" + name + " needs a value");
                        }
                        value = argv[++i];
                    }
                    options.put(name, value);
                    every.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    throw new SpaException("unknown option '" + a + "'");
                }
            } else {
                positional.add(a);
            }
        }
    }

    String positional(int i, String what) {
        if (i >= positional.size()) {
            throw new SpaException("missing " + what);
        }
        return positional.get(i);
    }

    String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    String require(String name) {
        String v = options.get(name);
        if (v == null) {
            throw new SpaException("missing option --" + name);
        }
        return v;
    }

    /** Every value a repeatable option was given, in order (empty when none). */
    List<String> all(String name) {
        return every.getOrDefault(name, List.of());
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    double number(String name, double fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new SpaException("option --" + name + " needs a number, got '" + v + "'");
        }
    }
}
