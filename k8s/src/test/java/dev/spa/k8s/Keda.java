package dev.spa.k8s;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's two kinds as strict typed models (KEDA publishes no Java model): the fields of
 * keda.sh/v1alpha1 ScaledObject and TriggerAuthentication that exist, so a misspelt one fails to read,
 * and the Kafka scaler's metadata keys.
 */
final class Keda {
    /** The Kafka scaler's metadata keys, from KEDA's scaler documentation. */
    static final Set<String> KAFKA_METADATA = Set.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold", "activationLagThreshold",
            "offsetResetPolicy", "allowIdleConsumers", "scaleToZeroOnInvalidOffset", "excludePersistentLag", "version", "partitionLimitation",
            "sasl", "tls", "unsafeSsl", "limitToPartitionsWithLag", "ensureEvenDistributionOfPartitions");

    private Keda() {
    }

    record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec) {
    }

    record ScaledObjectSpec(ScaleTarget scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod, Integer initialCooldownPeriod,
                            Integer idleReplicaCount, Integer minReplicaCount, Integer maxReplicaCount, Map<String, Object> advanced,
                            Map<String, Object> fallback, List<Trigger> triggers) {
    }

    record ScaleTarget(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    record Trigger(String type, String name, Boolean useCachedMetrics, String metricType, Map<String, String> metadata,
                   AuthenticationRef authenticationRef) {
    }

    record AuthenticationRef(String name, String kind) {
    }

    record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, TriggerAuthenticationSpec spec) {
    }

    record TriggerAuthenticationSpec(List<SecretTarget> secretTargetRef) {
    }

    record SecretTarget(String parameter, String name, String key) {
    }
}
