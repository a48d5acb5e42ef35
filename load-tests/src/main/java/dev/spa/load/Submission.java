package dev.spa.load;

/** One job the generator started (or tried to): what it uploaded and when, relative to the run's start. */
record Submission(String jobId, String model, String sizeClass, boolean corrupt, long submittedMs, String refusal) {
    boolean accepted() {
        return refusal == null;
    }
}
