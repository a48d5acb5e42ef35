/**
 * The local stack (deploy/local/run): real Kafka and S3 started here, the four services as processes, a sample model
 * pruned end to end.
 * <p>Imports platform, testkit, the engine and the events.
 */
package dev.spa.local;
