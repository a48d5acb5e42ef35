/**
 * The load generator (load-tests/run): a mix of models and hostile inputs submitted at a rate, outcomes and a time
 * chart.
 * <p>Imports the local stack, testkit, platform, the engine's modelkit and the events.
 */
package dev.spa.load;
