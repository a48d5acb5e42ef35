package dev.spa.platform;

import dev.spa.SpaException;

/** A job that cannot go on, with a stable code for metrics and clients and a message for people. */
public final class JobRejected extends SpaException {
    private final String code;
    private final boolean badMessage;

    /** @param badMessage the input message itself cannot be processed (it also goes to the dead-letter topic) */
    public JobRejected(String code, String message, boolean badMessage, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.badMessage = badMessage;
    }

    public JobRejected(String code, String message, boolean badMessage) {
        this(code, message, badMessage, null);
    }

    public String code() {
        return code;
    }

    public boolean badMessage() {
        return badMessage;
    }
}
