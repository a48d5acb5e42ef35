/**
 * Validation of a pruned model against its original in ONNX Runtime: outputs, shape mismatches, deviation and
 * interleaved timing (Verification), for the exporter, spa verify and the tests.
 * <p>Layer 11: imports runtime.
 */
package dev.spa.verify;
