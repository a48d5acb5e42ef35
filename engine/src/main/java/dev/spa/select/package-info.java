/**
 * Selection: which channels to keep for a target (ratio, parameters, MACs), local or global, with minimum channels,
 * floors, rounding and exclusions (ChannelSelector), and the targets as users state them.
 * <p>Layer 13: imports cost, plan, groups, ir.
 */
package dev.spa.select;
