/**
 * Latency targets: per-layer latency models measured on a runtime, the kernels' channel steps, selection against a
 * latency model and the search that measures the cut model until it meets the target.
 * <p>Layer 17: imports pruning and everything below it.
 */
package dev.spa.latency;
