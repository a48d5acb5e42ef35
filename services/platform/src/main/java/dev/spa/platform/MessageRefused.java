package dev.spa.platform;

import dev.spa.SpaException;

/**
 * An event the platform will not act on at all because it is not what it claims to be (a job no
 * ingest accepted, or one that differs from what ingest accepted). Unlike a {@link JobRejected} it
 * changes nothing about the job it names, not even its status: it goes to the dead-letter topic
 * with the reason.
 */
public final class MessageRefused extends SpaException {
    public MessageRefused(String message) {
        super(message);
    }
}
