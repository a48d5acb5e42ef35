/**
 * ONNX Runtime: sessions on a provider with a thread count (OnnxRunner, LatencyRuntime), inputs of any element type
 * and their layout across several inputs, synthetic inputs (dead-leaves images, token sequences), samples from
 * files, agreement with an original, interleaved latency comparison.
 * <p>Layer 9: imports ir, the ONNX schema and the root package.
 */
package dev.spa.runtime;
