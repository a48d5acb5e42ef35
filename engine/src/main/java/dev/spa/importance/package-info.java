/**
 * Channel importance: the criteria (L1, L2, random, BatchNorm scale, the Hessian diagonal) and how a group's slices
 * are aggregated and normalised into one score per channel (GroupScorer).
 * <p>Layer 8: imports groups, rules, ir.
 */
package dev.spa.importance;
