package dev.spa.linalg;

import dev.spa.SpaException;
import dev.spa.linalg.cuda.CudaLinalg;
import dev.spa.linalg.cuda.CudaProbe;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up choice of linear algebra. */
class LinalgBackendTest {
    @Test
    void withoutAGpuAutoChoosesTheCpuAndSaysWhy() {
        Availability probe = CudaProbe.result();
        Assumptions.assumeFalse(probe.available(), "a GPU is present: this test is about machines without one");
        LinalgBackend.Choice choice = LinalgBackend.choose("auto", 1L << 30);
        assertEquals("cpu", choice.kind());
        assertTrue(choice.reason().startsWith("no GPU: "), choice.reason());
        assertFalse(probe.description().isBlank());
    }

    @Test
    void withoutAGpuForcingCudaFailsWithTheProbesReason() {
        Assumptions.assumeFalse(CudaProbe.result().available(), "a GPU is present: this test is about machines without one");
        SpaException e = assertThrows(SpaException.class, () -> LinalgBackend.choose("cuda", 1L << 30));
        assertTrue(e.getMessage().contains(CudaProbe.result().description()), e.getMessage());
    }

    @Test
    void withAGpuAutoChoosesCuda() {
        Assumptions.assumeTrue(CudaProbe.result().available(), "no GPU here: " + CudaProbe.result().description());
        LinalgBackend.Choice choice = LinalgBackend.choose("auto", 1L << 30);
        assertEquals("cuda", choice.kind());
        ((CudaLinalg) choice.linalg()).close();
    }

    @Test
    void cpuIsAlwaysAvailableAndAnUnknownNameIsRefused() {
        assertEquals("cpu", LinalgBackend.choose("cpu", 0).kind());
        SpaException e = assertThrows(SpaException.class, () -> LinalgBackend.choose("tpu", 0));
        assertTrue(e.getMessage().contains("'tpu'") && e.getMessage().contains("auto"), e.getMessage());
    }

    @Test
    void theCpuRunsOnOpenBlasWhereItLoadsAndJavaAsksForTheHandWrittenKernels() {
        Assumptions.assumeTrue(OpenBlas.result().available(), "no OpenBLAS here: " + OpenBlas.result().description());
        LinalgBackend.Choice cpu = LinalgBackend.choose("cpu", 0);
        assertTrue(cpu.linalg() instanceof OpenBlasLinalg, cpu.reason());
        assertTrue(cpu.reason().contains("OpenBLAS 0.3") && cpu.reason().contains("thread"), cpu.reason());
        LinalgBackend.Choice java = LinalgBackend.choose("java", 0);
        assertTrue(java.linalg() instanceof CpuLinalg, java.reason());
        assertEquals("cpu", java.kind());
    }

    @Test
    void theProbeRunsOnceAndGivesTheSameAnswer() {
        assertTrue(CudaProbe.result() == CudaProbe.result());
    }
}
