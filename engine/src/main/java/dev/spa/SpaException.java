package dev.spa;

/**
 * Every error the engine reports to a user: the message is one line that names what was wrong
 * (the file, tensor, node or option), so the CLI and the services can show it as it is.
 */
public class SpaException extends RuntimeException {
    public SpaException(String message) {
        super(message);
    }

    public SpaException(String message, Throwable cause) {
        super(message, cause);
    }
}
