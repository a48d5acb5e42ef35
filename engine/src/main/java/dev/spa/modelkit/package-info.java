/**
 * Models written in code: GraphBuilder (small ONNX graphs for tests, examples and the load generator) and
 * HostileModels (ill-formed ones the platform must refuse with a reason).
 * <p>Layer 19, the top: imports ir and the ONNX schema; nothing in the engine imports it.
 */
package dev.spa.modelkit;
