/**
 * Channel grouping over the whole graph: the dependency analysis that propagates every weight's channel axis through
 * the rules and unites what must be pruned together into groups (DependencyAnalyzer, Analysis, Group, Member), and
 * the shapes a model has once groups shrink.
 * <p>Layer 5: imports rules, ir and the ONNX schema.
 */
package dev.spa.groups;
