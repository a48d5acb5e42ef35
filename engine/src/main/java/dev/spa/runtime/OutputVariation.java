package dev.spa.runtime;

/**
 * How far a pruned model's output follows the way its original's output varies from input to input,
 * over the reference inputs: ‖(y' − ȳ') − (y − ȳ)‖ / ‖y − ȳ‖, each element centred on its mean over
 * the inputs. What every input shares (a detector's anchor priors, a bias) cancels, so this sees what
 * the plain relative error hides: a pruned model whose output no longer depends on its input (a
 * detector that scores every anchor the same on every photo) measures exactly 1.
 */
final class OutputVariation {
    private final double[] sumOriginal;
    private final double[] sumDifference;
    private double squaredOriginal;
    private double squaredDifference;
    private long samples;

    OutputVariation(int perSample) {
        sumOriginal = new double[perSample];
        sumDifference = new double[perSample];
    }

    /** One batch of {@code count} samples of the original's output {@code y} and the pruned one's {@code pruned} (null: missing). */
    void add(float[] y, float[] pruned, int count) {
        int n = sumOriginal.length;
        for (int i = 0; i < y.length; i++) {
            double d = pruned == null || pruned.length != y.length ? -y[i] : pruned[i] - y[i];
            sumOriginal[i % n] += y[i];
            sumDifference[i % n] += d;
            squaredOriginal += (double) y[i] * y[i];
            squaredDifference += d * d;
        }
        samples += count;
    }

    /** The relative error of the centred outputs; NaN where the original's output does not vary (nothing to follow). */
    double error() {
        double variation = squaredOriginal - sumOfSquares(sumOriginal) / samples;
        double missed = Math.max(0, squaredDifference - sumOfSquares(sumDifference) / samples);
        return samples < 2 || variation <= 1e-12 * squaredOriginal ? Double.NaN : Math.sqrt(missed / variation);
    }

    private static double sumOfSquares(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return s;
    }
}
