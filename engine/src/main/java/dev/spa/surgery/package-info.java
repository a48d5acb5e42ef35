/**
 * Surgery: cuts every member tensor of a plan, lets the rules fix attributes and shape constants, drops dead code
 * (Surgery); weight updates applied after it; the correctness oracle (Oracle: the original with the removed
 * channels' inputs zeroed).
 * <p>Layer 10: imports plan, groups, rules, ir, the manifest schema.
 */
package dev.spa.surgery;
