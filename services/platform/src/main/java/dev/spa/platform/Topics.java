package dev.spa.platform;

import java.util.ArrayList;
import java.util.List;

/** The platform's Kafka topics (docs/ARCHITECTURE.md, The platform); each stage's input has a dead-letter topic. */
public final class Topics {
    public static final String MODELS_REGISTERED = "spa.models.registered";
    public static final String BUCKET_EVENTS = "spa.bucket.events";
    public static final String JOBS_ACCEPTED = "spa.jobs.accepted";
    public static final String GROUPS = "spa.groups";
    public static final String PLANS = "spa.plans";
    public static final String MODELS_PRUNED = "spa.models.pruned";
    public static final String JOBS_FAILED = "spa.jobs.failed";
    public static final String JOBS_STATUS = "spa.jobs.status";
    public static final String BATCHES_REQUESTED = "spa.batches.requested";
    public static final String BATCHES_COMPLETED = "spa.batches.completed";

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    /** Every topic, dead-letter topics included, for creating them up front. */
    public static List<String> all() {
        List<String> inputs = List.of(MODELS_REGISTERED, BUCKET_EVENTS, JOBS_ACCEPTED, GROUPS, PLANS, BATCHES_REQUESTED);
        List<String> out = new ArrayList<>(inputs);
        inputs.forEach(t -> out.add(deadLetter(t)));
        out.addAll(List.of(MODELS_PRUNED, JOBS_FAILED, JOBS_STATUS, BATCHES_COMPLETED));
        return out;
    }
}
