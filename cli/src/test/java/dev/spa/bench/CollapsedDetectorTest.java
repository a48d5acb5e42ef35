package dev.spa.bench;

import dev.spa.bench.detect.Detection;
import dev.spa.bench.detect.DetectionMatch;
import dev.spa.bench.detect.Detectors;
import dev.spa.groups.Analysis;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.quality.QualityFloors;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.runtime.SampleBatches;
import dev.spa.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quality guard sees a detector that stopped detecting, with no data: the face detector pruned by L2 to
 * half its MACs finds none of the faces its original finds on the photos, and its score on the synthetic
 * inputs the platform's guard uses falls under the synthetic floor (0.2), though its relative output error
 * alone (what the guard measured before) is small; pruned lightly, it keeps its faces and passes.
 */
class CollapsedDetectorTest {
    private static final double SYNTHETIC_FLOOR = QualityFloors.DEFAULTS.synthetic();

    @TempDir
    Path tmp;

    @Test
    void aFaceDetectorThatFindsNoFacesFailsTheGuardAndOneThatFindsThemPasses() throws Exception {
        SharedFiles.assumeModels();
        DetectorBenchmark.Detector faces = DetectorBenchmark.all(SharedFiles.data().resolve("images")).stream()
                .filter(d -> d.model().equals("face_slim_320")).findFirst().orElseThrow();
        Model model = new ModelLoader().load(SharedFiles.models().resolve("face_slim_320.onnx"));
        Path file = tmp.resolve("photos.f32");
        QualityData.write(file, faces.format().read(FidelityData.files(SharedFiles.data().resolve("images"), faces.prefix(), faces.photos()), false));
        SampleBatches photos = SampleBatches.fromFile(file, SampleBatches.sampleShape(model));
        List<List<Detection>> original = Detectors.detect(model, photos, faces.decoder());
        ReferenceInputs synthetic = ReferenceInputs.synthetic(model,
                InputStatistics.forModel(model, InputStatistics.stated(faces.statedMean(), faces.statedStd())));
        Agreement.Baseline guard = Agreement.Baseline.of(model, synthetic);
        Analysis analysis = Analysis.of(model);
        QualityBenchmark.Method l2 = QualityBenchmark.METHODS.get(1);

        Model collapsed = QualityBenchmark.prune(analysis, l2, true, 0.5, faces.statedMean(), faces.statedStd(), null).result().pruned();
        double keptCollapsed = DetectionMatch.of(original, Detectors.detect(collapsed, photos, faces.decoder())).kept();
        Agreement a = guard.compare(collapsed);
        assertTrue(keptCollapsed < 0.1, "L2 at half the MACs keeps " + keptCollapsed + " of the faces");
        assertTrue(1 - a.relativeError() > 0.9, "the relative error alone would pass it: " + a.describe());
        assertTrue(a.score() < SYNTHETIC_FLOOR, a.describe());

        Model light = QualityBenchmark.prune(analysis, l2, true, 0.9, faces.statedMean(), faces.statedStd(), null).result().pruned();
        double keptLight = DetectionMatch.of(original, Detectors.detect(light, photos, faces.decoder())).kept();
        Agreement b = guard.compare(light);
        assertTrue(keptLight >= 0.9, "L2 at 90% of the MACs keeps " + keptLight + " of the faces");
        assertTrue(b.score() > 0.5, b.describe());
    }
}
