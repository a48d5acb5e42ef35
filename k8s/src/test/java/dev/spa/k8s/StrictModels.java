package dev.spa.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered objects into typed Kubernetes models and refuses what the models do not know: fabric8's
 * and Strimzi's classes keep unknown fields aside (additionalProperties) instead of failing, so every
 * object read is walked and any field kept aside is an error with its path; KEDA's are read by
 * {@link Keda}'s records with unknown fields failing outright.
 */
final class StrictModels {
    private static final Map<String, Class<?>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class, "v1/Secret", Secret.class, "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class, "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class, "kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class,
            "kafka.strimzi.io/v1beta2/KafkaUser", KafkaUser.class,
            "keda.sh/v1alpha1/ScaledObject", Keda.ScaledObject.class, "keda.sh/v1alpha1/TriggerAuthentication", Keda.TriggerAuthentication.class);

    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The typed object, or an exception naming the kind, the object and the unknown field. */
    Object read(JsonNode node) throws Exception {
        String key = node.path("apiVersion").asText() + "/" + node.path("kind").asText();
        String name = key + " " + node.path("metadata").path("name").asText();
        Class<?> type = KINDS.get(key);
        if (type == null) {
            throw new IllegalArgumentException(name + ": no model for this kind (add it to StrictModels)");
        }
        Object typed;
        try {
            typed = mapper.treeToValue(node, type);
        } catch (Exception e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage().split("\n")[0], e);
        }
        List<String> unknown = new ArrayList<>();
        walk(typed, "", unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(name + ": unknown fields " + unknown);
        }
        return typed;
    }

    private static void walk(Object value, String path, List<String> unknown) throws Exception {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>
                || value instanceof Quantity || value instanceof JsonNode) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), unknown);
            }
            return;
        }
        if (value instanceof Record) {
            for (RecordComponent c : value.getClass().getRecordComponents()) {
                walk(c.getAccessor().invoke(value), path + "." + c.getName(), unknown);
            }
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi") && !pkg.startsWith("dev.spa")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            String n = getter.getName();
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || n.equals("getClass")) {
                continue;
            }
            if (n.equals("getAdditionalProperties")) {
                Object extra = getter.invoke(value);
                if (extra instanceof Map<?, ?> m && !m.isEmpty()) {
                    m.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else if (n.startsWith("get") && n.length() > 3) {
                walk(getter.invoke(value), path + "." + Character.toLowerCase(n.charAt(3)) + n.substring(4), unknown);
            }
        }
    }
}
