/**
 * The CUDA implementation of Linalg (cuBLAS, cuSOLVER through JavaCPP), probed once and used where a GPU driver is
 * there.
 * <p>Layer 3, with linalg: imports linalg and the root package.
 */
package dev.spa.linalg.cuda;
