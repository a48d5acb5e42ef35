package dev.spa.testing;

import dev.spa.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The {@code spa} command run in the test's JVM, with what it printed on each stream. */
public final class SpaCli {
    private SpaCli() {
    }

    public record Run(int code, String out, String err) {
    }

    public static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A run that must succeed: exit status 0, else the test fails with what it printed on stderr. */
    public static Run ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.code(), r.err());
        return r;
    }
}
