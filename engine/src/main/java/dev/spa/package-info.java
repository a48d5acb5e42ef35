/**
 * Engine-wide basics: the engine's exception (SpaException), cooperative interruption, temporary folders, SHA-256.
 * <p>Layer 0 of the engine (docs/ARCHITECTURE.md): imports no other engine package.
 */
package dev.spa;
