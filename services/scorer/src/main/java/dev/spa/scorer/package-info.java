/**
 * The scorer service: scores channels, selects the plan (OBSPA on CPU or GPU) and stores the updated tensors.
 * <p>Imports platform, the engine and the events; no other service.
 */
package dev.spa.scorer;
