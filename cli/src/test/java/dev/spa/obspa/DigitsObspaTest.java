package dev.spa.obspa;

import dev.spa.testing.SharedFiles;
import dev.spa.testing.SpaCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
        return SpaCli.ok(argv).out();
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
                "-o", out.toString()));
        argv.addAll(List.of(options));
        if (!argv.contains("--target")) {
            argv.addAll(List.of("--ratio", "0.3"));
        }
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

    /**
     * At 2x and 4x fewer MACs (global), OBSPA from calibration data and OBSPA with no data both beat
     * the best magnitude criterion. The data-free run states the input's statistics (pixel mean 0.30,
     * std 0.38), as a user who knows the model's preprocessing would.
     */
    @Test
    void obspaWithCalibrationAndDataFreeBeatTheBestMagnitudeCriterionAt2xAnd4x() {
        SharedFiles.assumeDigits();
        String calibration = SharedFiles.data().resolve("digits_calib_x.f32").toString();
        for (String keep : new String[] {"0.5", "0.25"}) {
            String[] target = {"--target", "macs=" + keep, "--global"};
            double bestMagnitude = 0;
            for (String criterion : new String[] {"l1", "l2", "bn"}) {
                bestMagnitude = Math.max(bestMagnitude, prunedAccuracy(criterion + keep, concat(target, "--criterion", criterion)));
            }
            double calibrated = prunedAccuracy("calib" + keep, concat(target, "--criterion", "obspa", "--calibration", calibration));
            double dataFree = prunedAccuracy("free" + keep, concat(target, "--criterion", "obspa", "--data-free",
                    "--input-mean", "0.30", "--input-std", "0.38"));
            String report = "keep " + keep + " of the MACs: best magnitude " + bestMagnitude + "%, OBSPA calibration " + calibrated
                    + "%, OBSPA data-free " + dataFree + "%";
            assertTrue(calibrated > bestMagnitude + 10, report);
            assertTrue(dataFree > bestMagnitude + 10, report);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
