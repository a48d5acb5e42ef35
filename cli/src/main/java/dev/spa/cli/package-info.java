/**
 * The spa command: inspect, prune, verify and eval, their options mapped onto the engine's policy in one place each.
 * <p>Imports the engine; nothing outside the CLI module imports it.
 */
package dev.spa.cli;
