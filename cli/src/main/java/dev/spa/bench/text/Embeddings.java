package dev.spa.bench.text;

import dev.spa.ir.Model;
import dev.spa.runtime.ModelOutputs;
import dev.spa.runtime.OnnxRunner;
import dev.spa.runtime.SampleBatches;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sentence embeddings as sentence-transformers makes them: the last hidden state's mean over the unmasked tokens. */
public final class Embeddings {
    private Embeddings() {
    }

    public static List<float[]> meanPooled(Model model, SampleBatches sentences) {
        List<float[]> out = new ArrayList<>();
        try (OnnxRunner runner = OnnxRunner.of(model, 2)) {
            sentences.forEachBatch(32, (data, count) -> {
                Map<String, float[]> feed = sentences.feed(data, count);
                ModelOutputs o = runner.run(feed, count);
                float[] hidden = o.values().values().iterator().next();
                long[] shape = o.shapes().values().iterator().next();
                int tokens = (int) shape[1];
                int width = (int) shape[2];
                float[] mask = feed.get("attention_mask");
                for (int s = 0; s < count; s++) {
                    float[] e = new float[width];
                    int used = 0;
                    for (int t = 0; t < tokens; t++) {
                        if (mask[s * tokens + t] == 0) {
                            continue;
                        }
                        used++;
                        for (int d = 0; d < width; d++) {
                            e[d] += hidden[(s * tokens + t) * width + d];
                        }
                    }
                    for (int d = 0; d < width; d++) {
                        e[d] /= Math.max(1, used);
                    }
                    out.add(e);
                }
            });
        }
        return out;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /**
     * Sentiment accuracy of a nearest-centroid probe: the mean unit embedding of each label over the training
     * sentences, and each test sentence given the label whose centroid is nearer in cosine.
     */
    public static double probeAccuracy(List<float[]> train, int[] trainLabels, List<float[]> test, int[] testLabels) {
        int width = train.get(0).length;
        double[][] centroid = new double[2][width];
        for (int i = 0; i < train.size(); i++) {
            float[] e = train.get(i);
            double norm = Math.sqrt(cosineNorm(e));
            for (int d = 0; d < width; d++) {
                centroid[trainLabels[i]][d] += e[d] / norm;
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            double[] score = new double[2];
            for (int label = 0; label < 2; label++) {
                double dot = 0;
                double nc = 0;
                for (int d = 0; d < width; d++) {
                    dot += centroid[label][d] * test.get(i)[d];
                    nc += centroid[label][d] * centroid[label][d];
                }
                score[label] = dot / Math.sqrt(nc);
            }
            if ((score[1] > score[0] ? 1 : 0) == testLabels[i]) {
                correct++;
            }
        }
        return (double) correct / test.size();
    }

    private static double cosineNorm(float[] e) {
        double n = 0;
        for (float v : e) {
            n += (double) v * v;
        }
        return n == 0 ? 1 : n;
    }
}
