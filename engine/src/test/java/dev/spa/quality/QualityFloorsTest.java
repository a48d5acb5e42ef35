package dev.spa.quality;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which default floor a job that states none is held to: the reference and the measure choose. */
class QualityFloorsTest {
    private final QualityFloors defaults = new QualityFloors(0.9, 0.5, 0.2);

    @Test
    void theReferenceAndTheMeasureChooseTheDefault() {
        assertEquals(0.9, defaults.of(true, true), "a classifier on calibration samples");
        assertEquals(0.5, defaults.of(true, false), "a detector on calibration samples: 1 - output error");
        assertEquals(0.2, defaults.of(false, true), "synthetic inputs");
        assertEquals(0.2, defaults.of(false, false), "synthetic inputs");
    }
}
