/**
 * Plain-text tables for the command line, the benchmarks and the local runner's summary.
 * <p>Layer 1: imports nothing of the engine.
 */
package dev.spa.text;
