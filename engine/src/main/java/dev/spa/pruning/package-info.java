/**
 * One prune from end to end: score, select (priced, rounded to the kernels' steps where asked), cut and update
 * (Pruner).
 * <p>Layer 16: imports manifest, select, surgery, importance, cost, plan, groups, ir.
 */
package dev.spa.pruning;
