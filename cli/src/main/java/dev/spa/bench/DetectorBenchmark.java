package dev.spa.bench;

import dev.spa.bench.detect.Detection;
import dev.spa.bench.detect.DetectionDecoder;
import dev.spa.bench.detect.DetectionMatch;
import dev.spa.bench.detect.Detectors;
import dev.spa.bench.detect.FastestDetDecoder;
import dev.spa.bench.detect.SlimFaceDecoder;
import dev.spa.groups.Analysis;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.pruning.Pruner;
import dev.spa.quality.QualityFloors;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.runtime.SampleBatches;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/run-detectors}: the two trained detectors of ../shared pruned with no fine-tuning by
 * each of the quality benchmark's methods (calibrated ones on the other detector's and the ImageNet
 * photos, mirrored: never the photos they are judged on), and judged as a user of a detector would:
 * how many of the original's detections on its photos the pruned model still makes (same class,
 * IoU at least 0.5), how many of its detections are the original's, its relative output error and variation
 * error on the photos, what the platform's quality guard says of it (its score on the job's reference inputs,
 * synthetic for a job with no data, the calibration samples for one with them, against the default floor of
 * each), the prune's time and peak heap. Writes a Markdown table. Usage: DetectorBenchmark SHARED OUTDIR RESULT.md
 */
public final class DetectorBenchmark {
    /** Half the MACs (the goal's), and three quarters, where the cliff the methods fall off shows. */
    static final double[] KEEP = {0.75, 0.5};

    record Detector(String model, PhotoFormat format, String prefix, int[] photos, DetectionDecoder decoder,
                    String statedMean, String statedStd, List<Path> calibration) {
    }

    private DetectorBenchmark() {
    }

    static List<Detector> all(Path images) {
        List<Path> imagenet = List.of(images.resolve("imagenet_bald_eagle.jpg"), images.resolve("imagenet_pelican.jpg"),
                images.resolve("imagenet_italian_greyhound.jpg"));
        List<Path> faces = FidelityData.files(images, "faces_", FidelityData.FACE_PHOTOS);
        List<Path> coco = FidelityData.files(images, "coco_fastestdet_", FidelityData.COCO_PHOTOS);
        return List.of(
                new Detector("fastestdet_coco", FidelityData.FASTESTDET, "coco_fastestdet_", FidelityData.COCO_PHOTOS,
                        new FastestDetDecoder("758"), "0.45", "0.28", concat(faces, imagenet)),
                new Detector("face_slim_320", FidelityData.SLIM_FACE, "faces_", FidelityData.FACE_PHOTOS,
                        new SlimFaceDecoder(), "0", "0.5", concat(coco, imagenet)));
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path result = Path.of(args[2]);
        Files.createDirectories(out);
        Path images = shared.resolve("data").resolve("images");
        StringBuilder md = new StringBuilder();
        md.append("| detector | MACs kept | selection | method | MACs (SPA's count) | detections kept | precision | relative output error "
                + "| variation error | quality guard: score vs default floor | prune time (s) | peak heap (MB) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> originals = new ArrayList<>();
        for (Detector d : all(images)) {
            Model model = new ModelLoader().load(shared.resolve("models").resolve(d.model() + ".onnx"));
            long[] sample = SampleBatches.sampleShape(model);
            Path photosFile = out.resolve(d.model() + "_photos.f32");
            QualityData.write(photosFile, d.format().read(FidelityData.files(images, d.prefix(), d.photos()), false));
            Path calibration = out.resolve(d.model() + "_calibration.f32");
            QualityData.write(calibration, d.format().read(d.calibration(), true));
            SampleBatches photos = SampleBatches.fromFile(photosFile, sample);
            List<List<Detection>> original = Detectors.detect(model, photos, d.decoder());
            int count = original.stream().mapToInt(List::size).sum();
            originals.add(String.format(Locale.ROOT, "%s: %d detections on %d photos (%s)", d.model(), count, d.photos().length,
                    original.stream().map(l -> String.valueOf(l.size())).reduce((a, b) -> a + ", " + b).orElse("")));
            System.err.println(originals.get(originals.size() - 1));
            Agreement.Baseline onPhotos = Agreement.Baseline.of(model, new ReferenceInputs(photos, "the photos"));
            Guard guard = new Guard(Agreement.Baseline.of(model, ReferenceInputs.synthetic(model,
                    InputStatistics.forModel(model, InputStatistics.stated(d.statedMean(), d.statedStd())))),
                    Agreement.Baseline.of(model, ReferenceInputs.of(model, calibration, null)));
            Analysis analysis = Analysis.of(model);
            for (double keep : KEEP) {
                for (boolean global : new boolean[] {true, false}) {
                    for (QualityBenchmark.Method m : QualityBenchmark.METHODS) {
                        md.append(row(analysis, d, m, global, keep, calibration, photos, original, onPhotos, guard)).append('\n');
                    }
                }
            }
        }
        md.append("\nOriginals (detections at each model's own thresholds, after NMS): ").append(String.join("; ", originals)).append(".\n");
        Files.writeString(result, md.toString());
        System.out.print(md);
    }

    private static String row(Analysis analysis, Detector d, QualityBenchmark.Method m, boolean global, double keep, Path calibration,
                              SampleBatches photos, List<List<Detection>> original, Agreement.Baseline onPhotos, Guard guard) {
        PeakHeap heap = PeakHeap.start();
        long start = System.nanoTime();
        Pruner.Result r = QualityBenchmark.prune(analysis, m, global, keep, d.statedMean(), d.statedStd(),
                m.calibrated() ? calibration : null).result();
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.megabytes();
        DetectionMatch match = DetectionMatch.of(original, Detectors.detect(r.pruned(), photos, d.decoder()));
        Agreement error = onPhotos.compare(r.pruned());
        String line = String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f%% | %.1f%% (%d of %d) | %.1f%% | %.3f | %.3f | %s | %.1f | %d |", d.model(),
                keep, global ? "global" : "local", m.name(), 100 * r.after().macsRatio(r.before()), 100 * match.kept(), match.matched(),
                match.original(), 100 * match.precision(), error.relativeError(), error.variationError(), guard.verdict(r.pruned(), m.calibrated()),
                seconds, peak);
        System.err.println(line);
        return line;
    }

    /** The platform's quality guard with its default floors: on synthetic inputs for a job with no data, else on its calibration samples. */
    private record Guard(Agreement.Baseline synthetic, Agreement.Baseline calibration) {
        String verdict(Model pruned, boolean calibrated) {
            Agreement a = (calibrated ? calibration : synthetic).compare(pruned);
            double floor = QualityFloors.DEFAULTS.of(calibrated, a.classifier());
            return String.format(Locale.ROOT, "%.3f %s %.1f (%s)", a.score(), a.score() >= floor ? ">=" : "<", floor,
                    calibrated ? "calibration" : "synthetic");
        }
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
