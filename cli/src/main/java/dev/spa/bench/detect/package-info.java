/**
 * The detector benchmark's decoders (FastestDet, the face detector), NMS and one-to-one detection matching.
 * <p>Imports the engine's ir and runtime only.
 */
package dev.spa.bench.detect;
