package dev.spa.exporter;

import dev.spa.events.PruningRequest;
import dev.spa.quality.QualityFloors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which floor a job is held to: what the request states first, else the default for the reference and the measure. */
class QualityGuardFloorTest {
    private final QualityFloors defaults = new QualityFloors(0.9, 0.5, 0.2);

    @Test
    void withNothingStatedTheReferenceAndTheMeasureChooseTheDefault() {
        PruningRequest plain = PruningRequest.newBuilder().setTarget("macs=0.5").build();
        assertEquals(0.9, QualityGuard.floor(plain, defaults, true, true), "a classifier on calibration samples");
        assertEquals(0.5, QualityGuard.floor(plain, defaults, true, false), "a detector on calibration samples: 1 - output error");
        assertEquals(0.2, QualityGuard.floor(plain, defaults, false, true), "synthetic inputs");
        assertEquals(0.2, QualityGuard.floor(plain, defaults, false, false), "synthetic inputs");
    }

    @Test
    void aStatedFloorWinsAndAnAgreementTargetWinsOverIt() {
        PruningRequest floor = PruningRequest.newBuilder().setTarget("macs=0.5").setQualityFloor(0.3).build();
        assertEquals(0.3, QualityGuard.floor(floor, defaults, true, false));
        PruningRequest target = PruningRequest.newBuilder().setTarget("macs=0.5,agreement=0.95").setQualityFloor(0.3).build();
        assertEquals(0.95, QualityGuard.floor(target, defaults, false, false));
    }
}
