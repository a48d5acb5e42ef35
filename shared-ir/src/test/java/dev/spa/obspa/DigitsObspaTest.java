package dev.spa.obspa;

import dev.spa.cli.Main;
import dev.spa.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trained digits CNN through the command line, no fine-tuning: OBSPA with calibration data
 * against L2, and OBSPA's weight update on L2's choice, at 30% of every group's channels.
 */
class DigitsObspaTest {
    @TempDir
    Path dir;

    private static String spa(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(argv, new PrintStream(out), new PrintStream(err));
        assertEquals(0, rc, err.toString());
        return out.toString();
    }

    private double accuracy(Path model) {
        Path data = SharedFiles.data();
        String out = spa("eval", model.toString(), "--inputs", data.resolve("digits_test_x.f32").toString(),
                "--labels", data.resolve("digits_test_y.i64").toString());
        Matcher m = Pattern.compile("top-1 accuracy: ([0-9.]+)%").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    private double prunedAccuracy(String name, String... options) {
        Path out = dir.resolve(name + ".onnx");
        List<String> argv = new ArrayList<>(List.of("prune", SharedFiles.models().resolve("digits_mobilenet.onnx").toString(),
                "-o", out.toString(), "--ratio", "0.3"));
        argv.addAll(List.of(options));
        spa(argv.toArray(new String[0]));
        return accuracy(out);
    }

    @Test
    void obspaWithCalibrationKeepsAccuracyWhereL2CollapsesAndItsUpdateRescuesL2() {
        SharedFiles.assumeDigits();
        String calibration = SharedFiles.data().resolve("digits_calib_x.f32").toString();
        double original = accuracy(SharedFiles.models().resolve("digits_mobilenet.onnx"));
        assertEquals(99.24, original, 0.01, "the trained model's published accuracy");
        double l2 = prunedAccuracy("l2", "--criterion", "l2");
        double l2Updated = prunedAccuracy("l2u", "--criterion", "l2", "--update", "obspa", "--calibration", calibration);
        double obspa = prunedAccuracy("obspa", "--criterion", "obspa", "--calibration", calibration);
        assertTrue(l2Updated > l2 + 50, "OBSPA's update on L2's channels: " + l2Updated + "% vs " + l2 + "%");
        assertTrue(obspa > 90 && obspa > l2Updated, "OBSPA: " + obspa + "% (L2 " + l2 + "%, L2 + update " + l2Updated + "%)");
    }
}
