/**
 * Channel grouping, operator by operator: one OperatorRule per operator family (shape inference, how a channel axis
 * passes through, the weight axes that start channels, what must be fixed after pruning, MACs), and the coupling
 * value types the rules produce (Coupling, Dim, Role).
 * <p>Layer 4: imports ir.
 */
package dev.spa.rules;
