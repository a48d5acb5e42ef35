package dev.spa.ingest;

/** An upload ingest will not take, with the HTTP status that says why (400, 413, 429). */
final class UploadRefused extends Exception {
    private final int status;

    UploadRefused(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
