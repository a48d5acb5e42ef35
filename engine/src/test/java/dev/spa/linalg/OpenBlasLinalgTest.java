package dev.spa.linalg;

import org.junit.jupiter.api.Assumptions;

/** The OpenBLAS implementation, wherever its native library loads (x86-64 Linux: every CI machine). */
class OpenBlasLinalgTest extends LinalgContract {
    @Override
    Linalg linalg() {
        Assumptions.assumeTrue(OpenBlas.result().available(), "skipped: " + OpenBlas.result().description());
        return OpenBlas.linalg();
    }
}
