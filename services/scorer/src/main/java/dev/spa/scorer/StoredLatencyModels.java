package dev.spa.scorer;

import dev.spa.latency.LatencyModels;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.S3Uri;

import java.nio.charset.StandardCharsets;

/**
 * Latency models kept in the platform's bucket under {@code latency-models/<model sha256>-<runtime>.json}: measured
 * by the first latency-target job on a model and runtime, read by every later one (on any scorer replica).
 */
final class StoredLatencyModels implements LatencyModels.Cache {
    private final ObjectStore store;
    private final String bucket;

    StoredLatencyModels(ObjectStore store, String bucket) {
        this.store = store;
        this.bucket = bucket;
    }

    static S3Uri uri(String bucket, String key) {
        return new S3Uri(bucket, "latency-models/" + key + ".json");
    }

    @Override
    public String get(String key) {
        S3Uri uri = uri(bucket, key);
        return store.exists(uri) ? new String(store.get(uri), StandardCharsets.UTF_8) : null;
    }

    @Override
    public void put(String key, String json) {
        store.put(uri(bucket, key), json.getBytes(StandardCharsets.UTF_8), "application/json");
    }
}
