/**
 * OBSPA: each layer's Hessian (captured from samples, or propagated data-free as moments), its inverse, greedy
 * channel removal with inverse downdates (the OBSPA criterion), the all-at-once and layer-by-layer weight updates.
 * <p>Layer 12: imports surgery, runtime, importance, linalg, groups, rules, ir.
 */
package dev.spa.obspa;
