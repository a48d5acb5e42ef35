/**
 * The grouping service: analyses an accepted model into groups and publishes the manifest.
 * <p>Imports platform, the engine and the events; no other service.
 */
package dev.spa.grouping;
