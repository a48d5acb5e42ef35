/**
 * The pruning plan: which channels each group keeps, and how it reads and writes as the manifest's PlanRecord.
 * <p>Layer 6: imports groups, rules and the manifest schema.
 */
package dev.spa.plan;
