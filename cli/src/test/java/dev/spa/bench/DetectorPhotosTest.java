package dev.spa.bench;

import dev.spa.bench.detect.Detection;
import dev.spa.bench.detect.DetectionMatch;
import dev.spa.bench.detect.Detectors;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.runtime.SampleBatches;
import dev.spa.testing.SharedFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The detector benchmark's decoders on the real detectors and photos: they find what SOURCES.md says is there. */
class DetectorPhotosTest {
    @TempDir
    Path tmp;

    @Test
    void theFaceDetectorFindsFacesOnFacePhotosAndNoneOnAPelican() throws Exception {
        DetectorBenchmark.Detector faces = detector("face_slim_320");
        Model model = new ModelLoader().load(SharedFiles.models().resolve("face_slim_320.onnx"));
        Path images = SharedFiles.data().resolve("images");
        List<List<Detection>> found = detect(model, faces, List.of(images.resolve("faces_1.jpg"), images.resolve("imagenet_pelican.jpg")));
        assertTrue(found.get(0).size() >= 20, "faces_1 is a crowd: " + found.get(0).size() + " faces found");
        assertEquals(0, found.get(1).size(), "no face on the pelican");
    }

    @Test
    void theCocoDetectorFindsObjectsOnItsPhotosAndAgreesFullyWithItself() throws Exception {
        DetectorBenchmark.Detector coco = detector("fastestdet_coco");
        Model model = new ModelLoader().load(SharedFiles.models().resolve("fastestdet_coco.onnx"));
        List<Path> photos = FidelityData.files(SharedFiles.data().resolve("images"), coco.prefix(), coco.photos());
        List<List<Detection>> found = detect(model, coco, photos);
        int total = found.stream().mapToInt(List::size).sum();
        assertTrue(total >= 5, total + " objects on " + photos.size() + " street and indoor photos");
        assertEquals(1.0, DetectionMatch.of(found, found).kept(), 1e-12);
    }

    private DetectorBenchmark.Detector detector(String name) {
        SharedFiles.assumeModels();
        return DetectorBenchmark.all(SharedFiles.data().resolve("images")).stream().filter(d -> d.model().equals(name)).findFirst().orElseThrow();
    }

    private List<List<Detection>> detect(Model model, DetectorBenchmark.Detector d, List<Path> photos) throws Exception {
        Path file = tmp.resolve("photos.f32");
        QualityData.write(file, d.format().read(photos, false));
        return Detectors.detect(model, SampleBatches.fromFile(file, SampleBatches.sampleShape(model)), d.decoder());
    }
}
