package dev.spa.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The real test data of each trained model in ../shared, preprocessed as its SOURCES.md entry says,
 * split into the images that are evaluated and the disjoint ones that calibration may use.
 */
record QualityData(String model, float[] evalX, long[] evalY, float[] calibration, String statedMean, String statedStd, String note) {
    static QualityData[] all(Path shared) throws IOException {
        Path data = shared.resolve("data");
        float[] cifar = floats(data.resolve("cifar10_test340_x.f32"));
        long[] cifarY = longs(data.resolve("cifar10_test340_y.i64"));
        int cifarEval = 276; // images 276-339 are the calibration samples, 0-275 are evaluated
        int cifarSample = 3 * 32 * 32;
        float[] kw = normalised(cifar, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.225f, 0.225f, 0.225f});
        float[] vit = normalised(cifar, new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2023f, 0.1994f, 0.2010f});
        float[] mnist = mnistImages(data.resolve("mnist/t10k-images-idx3-ubyte.gz"));
        long[] mnistY = mnistLabels(data.resolve("mnist/t10k-labels-idx1-ubyte.gz"));
        int mnistSample = 28 * 28;
        return new QualityData[] {
            new QualityData("mnist_cnn_zoo", Arrays.copyOf(mnist, 5000 * mnistSample), Arrays.copyOf(mnistY, 5000),
                    Arrays.copyOfRange(mnist, 5000 * mnistSample, 5256 * mnistSample), "0.1307", "0.3081",
                    "MNIST test images 0-4999 evaluated; 5000-5255 for calibration"),
            new QualityData("cifar10_convnet_kw", Arrays.copyOf(kw, cifarEval * cifarSample), Arrays.copyOf(cifarY, cifarEval),
                    Arrays.copyOfRange(kw, cifarEval * cifarSample, kw.length), null, null,
                    "CIFAR-10 test images 0-275 of the 340 evaluated; 276-339 for calibration"),
            new QualityData("cifar10_vit_pgd_2_3_16", Arrays.copyOf(vit, cifarEval * cifarSample), Arrays.copyOf(cifarY, cifarEval),
                    Arrays.copyOfRange(vit, cifarEval * cifarSample, vit.length), null, null,
                    "CIFAR-10 test images 0-275 of the 340 evaluated; 276-339 for calibration"),
            new QualityData("digits_mobilenet", floats(data.resolve("digits_test_x.f32")), longs(data.resolve("digits_test_y.i64")),
                    floats(data.resolve("digits_calib_x.f32")), "0.30", "0.38", "397 digits test images; 256 training images for calibration"),
        };
    }

    private static float[] normalised(float[] x, float[] mean, float[] std) {
        float[] out = new float[x.length];
        int plane = 32 * 32;
        for (int i = 0; i < x.length; i++) {
            int c = (i / plane) % 3;
            out[i] = (x[i] - mean[c]) / std[c];
        }
        return out;
    }

    private static float[] mnistImages(Path gz) throws IOException {
        byte[] raw = gunzip(gz);
        float[] out = new float[raw.length - 16];
        for (int i = 0; i < out.length; i++) {
            out[i] = (raw[16 + i] & 0xff) / 255f;
        }
        return out;
    }

    private static long[] mnistLabels(Path gz) throws IOException {
        byte[] raw = gunzip(gz);
        long[] out = new long[raw.length - 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = raw[8 + i] & 0xff;
        }
        return out;
    }

    private static byte[] gunzip(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static float[] floats(Path f) throws IOException {
        float[] out = new float[(int) (Files.size(f) / 4)];
        ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    static long[] longs(Path f) throws IOException {
        long[] out = new long[(int) (Files.size(f) / 8)];
        ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    static void write(Path f, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        Files.write(f, b.array());
    }

    static void write(Path f, long[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        Files.write(f, b.array());
    }
}
