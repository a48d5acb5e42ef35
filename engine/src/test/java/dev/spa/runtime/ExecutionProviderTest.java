package dev.spa.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.spa.SpaException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The choice of ONNX Runtime provider for activation capture, with the default (CPU-only) artifact. */
class ExecutionProviderTest {
    @Test
    void theCpuArtifactFallsBackToTheCpuProviderAndSaysHowToGetCuda() {
        Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "built with -Pgpu");
        ExecutionProvider.Choice choice = ExecutionProvider.choose("auto");
        assertEquals(ExecutionProvider.CPU, choice.provider());
        assertTrue(choice.reason().contains("-Pgpu"), choice.reason());
        SpaException e = assertThrows(SpaException.class, () -> ExecutionProvider.choose("cuda"));
        assertTrue(e.getMessage().contains("-Pgpu"), e.getMessage());
    }

    @Test
    void cpuIsAlwaysAvailableAndAnUnknownNameIsRefused() {
        assertEquals(ExecutionProvider.CPU, ExecutionProvider.choose("cpu").provider());
        SpaException e = assertThrows(SpaException.class, () -> ExecutionProvider.choose("gpu"));
        assertTrue(e.getMessage().contains("'gpu'"), e.getMessage());
    }
}
