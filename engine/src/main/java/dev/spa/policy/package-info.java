/**
 * The pruning policy: criterion, Hessian source, update and OBSPA's settings as typed choices with one builder
 * holding the defaults (PruningPolicy), the criteria registered by kind, and the policy made concrete for one model
 * (BuiltPolicy: the group scorer and the weight update).
 * <p>Layer 15: imports select, obspa, surgery, runtime, importance, linalg, groups.
 */
package dev.spa.policy;
