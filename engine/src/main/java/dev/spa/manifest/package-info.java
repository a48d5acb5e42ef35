/**
 * The manifest and plan messages built from an analysis (groups, their prices, the plan), and their JSON.
 * <p>Layer 14: imports cost, plan, groups, rules and the manifest schema.
 */
package dev.spa.manifest;
