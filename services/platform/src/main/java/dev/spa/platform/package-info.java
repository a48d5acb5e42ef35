/**
 * What every service shares: the stage runner and its delivery rules, the object store with retries, job keys,
 * events, requests mapped onto the engine's policy, memory budgets.
 * <p>Imports the engine and the events; no service module.
 */
package dev.spa.platform;
