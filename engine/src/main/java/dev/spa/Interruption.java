package dev.spa;

/**
 * Where the engine's long loops (dependency analysis, moment propagation, OBSPA's greedy removal
 * and updates) give up when their thread has been interrupted: a service that abandons a job at
 * its deadline interrupts the job's thread, and the work stops at the next check instead of
 * holding a core for as long as it would have run.
 */
public final class Interruption {
    private Interruption() {
    }

    /** Throws if the current thread was interrupted; the flag stays set, so later blocking calls stop too. */
    public static void check() {
        if (Thread.currentThread().isInterrupted()) {
            throw new SpaException("stopped: the work was interrupted (its deadline passed or the service is stopping)");
        }
    }
}
