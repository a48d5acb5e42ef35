/**
 * Real servers for tests and the local stack: a Kafka broker, an S3 server, Prometheus, Keycloak, started as
 * processes.
 * <p>Imports nothing of the engine or the services.
 */
package dev.spa.testkit;
