/**
 * The linear algebra OBSPA runs on: one Linalg contract (Gram matrices, GEMM, Cholesky, inverses), OpenBLAS through
 * JavaCPP (the default), the hand-written Java kernels, and the choice among them (LinalgBackend).
 * <p>Layer 3, with linalg.cuda: imports the root package only.
 */
package dev.spa.linalg;
