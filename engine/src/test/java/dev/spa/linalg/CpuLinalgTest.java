package dev.spa.linalg;

/** The CPU implementation, on every machine. */
class CpuLinalgTest extends LinalgContract {
    @Override
    Linalg linalg() {
        return new CpuLinalg();
    }
}
