package dev.spa.exporter;

import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.runtime.Agreement;
import dev.spa.runtime.InputStatistics;
import dev.spa.runtime.ReferenceInputs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The original's outputs are computed once per model and input statistics: a later job on the same model reuses them
 * and measures the same agreement as a fresh check; other statistics, or a cache too small, compute anew.
 */
class BaselineCacheTest {
    private static Model digits() throws Exception {
        Path file = Path.of(System.getProperty("spa.shared.dir", "../../../shared"), "models", "digits_mobilenet.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(file), "skipped: " + file + " is absent (the shared test models live beside the repository)");
        return new ModelLoader().load(file);
    }

    @Test
    void aLaterJobOnTheSameModelReusesTheOriginalsOutputsAndMeasuresTheSame() throws Exception {
        Model original = digits();
        Model other = new ModelLoader().load(Path.of(System.getProperty("spa.shared.dir", "../../../shared"), "models", "digits_mobilenet.onnx"));
        InputStatistics stated = InputStatistics.stated("0.3", "0.38");
        ReferenceInputs reference = ReferenceInputs.synthetic(original, stated);
        BaselineCache cache = new BaselineCache(64_000_000);
        Agreement.Baseline first = cache.of(original, reference);
        assertTrue(cache.bytes() > 0 && cache.bytes() == first.bytes(), "kept: " + cache.bytes() + " bytes");
        assertSame(first, cache.of(other, ReferenceInputs.synthetic(other, stated)), "the same model's content, loaded again, hits");
        assertNotSame(first, cache.of(original, ReferenceInputs.synthetic(original, InputStatistics.DEFAULT)), "other statistics miss");

        Agreement cached = first.compare(other);
        Agreement fresh = Agreement.measure(original, other, reference);
        assertEquals(fresh.relativeError(), cached.relativeError(), 0);
        assertEquals(fresh.top1(), cached.top1(), 0);
        assertEquals(fresh.describe(), cached.describe());
    }

    @Test
    void aCacheTooSmallForOneBaselineKeepsNothing() throws Exception {
        Model original = digits();
        ReferenceInputs reference = ReferenceInputs.synthetic(original, InputStatistics.DEFAULT);
        BaselineCache cache = new BaselineCache(1000);
        assertNotSame(cache.of(original, reference), cache.of(original, reference));
        assertEquals(0, cache.bytes());
    }
}
