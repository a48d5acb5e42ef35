/**
 * Quality without labels: the data-free auto choice among candidate policies (DataFreeChoice), and the agreement
 * search (the deepest cut that keeps a quality target).
 * <p>Layer 18: imports pruning, policy and everything below them.
 */
package dev.spa.quality;
