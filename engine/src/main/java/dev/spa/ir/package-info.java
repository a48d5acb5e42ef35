/**
 * The ONNX model as the engine holds it: loading (size limits, external data inside the model's folder, cycle and
 * missing-initializer checks, opsets 7 to 23), the mutable graph of nodes and tensors, shapes and their inference
 * inputs, constant folding, writing back to ONNX.
 * <p>Layer 2: imports the root package and the generated dev.spa.onnx schema only.
 */
package dev.spa.ir;
