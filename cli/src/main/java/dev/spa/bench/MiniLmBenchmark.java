package dev.spa.bench;

import dev.spa.bench.text.Embeddings;
import dev.spa.bench.text.Sentences;
import dev.spa.bench.text.WordPieceTokenizer;
import dev.spa.groups.Analysis;
import dev.spa.ir.InputShapes;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.pruning.Pruner;
import dev.spa.runtime.InputLayout;
import dev.spa.runtime.SampleBatches;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/run-minilm}: all-MiniLM-L6-v2 (a real BERT: 6 layers, 12 heads, width 384) pruned with no
 * fine-tuning to half its MACs at 64 tokens by each method of the quality benchmark, judged on the 3000 labelled
 * sentences of ../shared/data/sentiment: the cosine similarity of each sentence's mean-pooled embedding before
 * and after, and the sentiment accuracy of a nearest-centroid probe (centroids from the Amazon sentences, tested
 * on the IMDB and Yelp ones). Calibrated methods use the first 256 Amazon sentences. Usage:
 * MiniLmBenchmark SHARED MODEL_DIR OUTDIR RESULT.md (MODEL_DIR holds all-minilm-l6-v2.onnx and its tokenizer.json).
 */
public final class MiniLmBenchmark {
    static final int LENGTH = 64;
    static final int CALIBRATION = 256;
    static final double KEEP = 0.5;

    private MiniLmBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path sentiment = Path.of(args[0]).resolve("data").resolve("sentiment");
        Path modelDir = Path.of(args[1]);
        Path out = Path.of(args[2]);
        Files.createDirectories(out);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.read(modelDir.resolve("all-minilm-l6-v2-tokenizer.json"));
        Sentences train = Sentences.read(sentiment.resolve("amazon_cells_labelled.txt"));
        Sentences imdb = Sentences.read(sentiment.resolve("imdb_labelled.txt"));
        Sentences yelp = Sentences.read(sentiment.resolve("yelp_labelled.txt"));
        List<String> testTexts = new ArrayList<>(imdb.texts());
        testTexts.addAll(yelp.texts());
        int[] testLabels = concat(imdb.labels(), yelp.labels());
        Sentences test = new Sentences(testTexts, testLabels);

        List<String> shapes = List.of("input_ids=1," + LENGTH, "attention_mask=1," + LENGTH, "token_type_ids=1," + LENGTH);
        Model model = InputShapes.parse(shapes).applyTo(new ModelLoader().load(modelDir.resolve("all-minilm-l6-v2.onnx")));
        InputLayout layout = InputLayout.of(model);
        float[] trainTokens = train.tokens(tokenizer, LENGTH);
        Path trainFile = out.resolve("amazon.f32");
        Path testFile = out.resolve("imdb_yelp.f32");
        Path calibration = out.resolve("calibration.f32");
        QualityData.write(trainFile, trainTokens);
        QualityData.write(testFile, test.tokens(tokenizer, LENGTH));
        QualityData.write(calibration, Arrays.copyOf(trainTokens, CALIBRATION * layout.sampleSize()));
        SampleBatches trainSamples = SampleBatches.fromFile(trainFile, layout);
        SampleBatches testSamples = SampleBatches.fromFile(testFile, layout);

        long start = System.nanoTime();
        List<float[]> originalTrain = Embeddings.meanPooled(model, trainSamples);
        List<float[]> originalTest = Embeddings.meanPooled(model, testSamples);
        double originalProbe = Embeddings.probeAccuracy(originalTrain, train.labels(), originalTest, testLabels);
        System.err.printf(Locale.ROOT, "original: probe %.1f%% (embedding 3000 sentences: %.0f s)%n", 100 * originalProbe,
                (System.nanoTime() - start) / 1e9);

        StringBuilder md = new StringBuilder(String.format(Locale.ROOT,
                "Original: nearest-centroid probe %.1f%% on %d IMDB and Yelp sentences (centroids from %d Amazon sentences), %d tokens.%n%n",
                100 * originalProbe, testLabels.length, train.labels().length, LENGTH));
        md.append("| selection | method | MACs (SPA's count) | mean cosine | 5th percentile cosine | probe | probe change (points) | prune time (s) | peak heap (MB) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        Analysis analysis = Analysis.of(model);
        for (boolean global : new boolean[] {true, false}) {
            for (QualityBenchmark.Method m : QualityBenchmark.METHODS) {
                PeakHeap heap = PeakHeap.start();
                long t0 = System.nanoTime();
                Pruner.Result r = QualityBenchmark.prune(analysis, m, global, KEEP, null, null, m.calibrated() ? calibration : null).result();
                double seconds = (System.nanoTime() - t0) / 1e9;
                long peak = heap.megabytes();
                List<float[]> prunedTrain = Embeddings.meanPooled(r.pruned(), trainSamples);
                List<float[]> prunedTest = Embeddings.meanPooled(r.pruned(), testSamples);
                double[] cosines = cosines(originalTrain, prunedTrain, originalTest, prunedTest);
                double probe = Embeddings.probeAccuracy(prunedTrain, train.labels(), prunedTest, testLabels);
                String line = String.format(Locale.ROOT, "| %s | %s | %.1f%% | %.3f | %.3f | %.1f%% | %+.1f | %.1f | %d |", global ? "global" : "local",
                        m.name(), 100 * r.after().macsRatio(r.before()), Arrays.stream(cosines).average().orElse(0),
                        cosines[cosines.length / 20], 100 * probe, 100 * (probe - originalProbe), seconds, peak);
                System.err.println(line);
                md.append(line).append('\n');
            }
        }
        Files.writeString(Path.of(args[3]), md.toString());
        System.out.print(md);
    }

    /** Cosine of each sentence's embedding before and after, over all the sentences, sorted. */
    private static double[] cosines(List<float[]> a, List<float[]> b, List<float[]> c, List<float[]> d) {
        double[] out = new double[a.size() + c.size()];
        for (int i = 0; i < a.size(); i++) {
            out[i] = Embeddings.cosine(a.get(i), b.get(i));
        }
        for (int i = 0; i < c.size(); i++) {
            out[a.size() + i] = Embeddings.cosine(c.get(i), d.get(i));
        }
        Arrays.sort(out);
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
