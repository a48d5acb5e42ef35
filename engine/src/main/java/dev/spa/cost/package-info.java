/**
 * Parameters and MACs per layer and in total (CostModel), and the price of a plan before any surgery (PlanCost).
 * <p>Layer 7: imports plan, groups, rules, ir.
 */
package dev.spa.cost;
