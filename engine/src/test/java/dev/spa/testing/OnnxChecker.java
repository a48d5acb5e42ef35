package dev.spa.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ONNX project's own validator ({@code onnx.checker.check_model(full_check=True)}, from Debian's
 * python3-onnx), run on model files as an independent judge of the files SPA writes. Tests that use
 * it skip with a message where no Python with the onnx package is installed.
 */
public final class OnnxChecker {
    private static final String SCRIPT = String.join("\n",
            "import sys, onnx",
            "bad = 0",
            "for f in sys.argv[1:]:",
            "    try:",
            "        onnx.checker.check_model(onnx.load(f), full_check=True)",
            "    except Exception as e:",
            "        bad += 1",
            "        print(f + ': ' + str(e).splitlines()[0])",
            "sys.exit(1 if bad else 0)");

    private OnnxChecker() {
    }

    /** A Python interpreter that imports onnx, or null. */
    static String python() {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import onnx").redirectErrorStream(true).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not installed here: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    public static void assumeAvailable() {
        Assumptions.assumeTrue(python() != null, "skipped: no Python with the onnx package (apt-get install python3-onnx)");
    }

    /** The checker's complaints, one line per failing file; empty when every file passes. */
    public static String check(List<Path> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python(), "-c", SCRIPT));
        files.forEach(f -> command.add(f.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(5, TimeUnit.MINUTES);
        return p.exitValue() == 0 ? "" : out.isBlank() ? "onnx.checker exited " + p.exitValue() : out;
    }
}
