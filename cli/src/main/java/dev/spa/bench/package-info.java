/**
 * The benchmarks' entry points (bench/run-*): quality, OBSPA accuracy and time, linear algebra, latency targets,
 * speed at quality, detectors, MiniLM.
 * <p>Imports the engine and the CLI's own packages; run from scripts, imported by nothing.
 */
package dev.spa.bench;
