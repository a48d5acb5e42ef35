/**
 * The ingest service: model registry events and HTTP uploads in, validation, jobs accepted or refused with a reason,
 * status and batch reports.
 * <p>Imports platform, the engine and the events; no other service.
 */
package dev.spa.ingest;
