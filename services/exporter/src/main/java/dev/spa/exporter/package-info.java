/**
 * The exporter service: cuts the model, verifies it in ONNX Runtime, times it, guards its quality, publishes the
 * pruned model and the report.
 * <p>Imports platform, the engine and the events; no other service.
 */
package dev.spa.exporter;
