package dev.spa.linalg;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Loads OpenBLAS once per process and sets how many threads it runs: {@code spa.openblas.threads}
 * (system property), else every core. OBSPA never runs OpenBLAS and ONNX Runtime at the same time
 * (activations are captured batch by batch, and each batch's Gram product runs after the batch), so
 * the two do not fight over cores. A platform without the native library (it ships for x86-64 Linux
 * here) is told why, and the hand-written kernels are used instead.
 */
public final class OpenBlas {
    public static final String THREADS_PROPERTY = "spa.openblas.threads";

    /** Found once per process, when the class is first used (class initialisation is lazy and thread-safe). */
    private static final Availability RESULT = load();

    private OpenBlas() {
    }

    public static Availability result() {
        return RESULT;
    }

    /** The OpenBLAS implementation; only where {@link #result()} says it is available. */
    public static Linalg linalg() {
        if (!result().available()) {
            throw new IllegalStateException("OpenBLAS is not available: " + result().description());
        }
        return new OpenBlasLinalg();
    }

    private static Availability load() {
        try {
            Loader.load(openblas.class);
            int threads = Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors());
            openblas.blas_set_num_threads(Math.max(1, threads));
            String coreType = System.getenv("OPENBLAS_CORETYPE");
            return new Availability(true, String.format("%s, %d thread%s (%s), kernels %s", openblas.OPENBLAS_VERSION.trim(), threads,
                    threads == 1 ? "" : "s", System.getProperty(THREADS_PROPERTY) != null ? THREADS_PROPERTY : "one per core",
                    coreType == null ? "chosen for this CPU at load" : "for OPENBLAS_CORETYPE=" + coreType + " (set in the environment)"));
        } catch (LinkageError | RuntimeException e) {
            return new Availability(false, "OpenBLAS not loadable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
    }
}
