package dev.spa.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.spa.platform.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each overlay rendered by a real {@code kubectl kustomize}, every object read strictly into typed
 * models ({@link StrictModels}), then what the platform needs of them: probes, resources, secrets by
 * reference, the scorer's GPU or CPU variant, scaling on the right topic and group, a Service and a
 * disruption budget per Deployment, every topic defined, images named as docker-compose names them.
 */
class KustomizeOverlaysTest {
    private static final Path REPO = Path.of(System.getProperty("spa.repo.dir", ".."));
    private static final List<String> SERVICES = List.of("ingest", "grouping", "scorer", "exporter");
    private static final Map<String, String> INPUT_TOPICS = Map.of("ingest", Topics.MODELS_REGISTERED, "grouping", Topics.JOBS_ACCEPTED,
            "scorer", Topics.GROUPS, "exporter", Topics.PLANS);
    private static final Map<String, List<Object>> RENDERED = new ConcurrentHashMap<>();
    private static String kubectl;

    @BeforeAll
    static void needsKubectl() {
        kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
        boolean found;
        try {
            found = new ProcessBuilder(kubectl, "version", "--client").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            found = false;
        }
        Assumptions.assumeTrue(found, "skipped: no kubectl on this machine (.ci/run installs one; or set KUBECTL)");
    }

    /** The overlay as kubectl renders it, each object read strictly; rendered once for all the tests that ask. */
    private static List<Object> render(String overlay) throws Exception {
        List<Object> done = RENDERED.get(overlay);
        if (done == null) {
            done = renderNow(overlay);
            RENDERED.put(overlay, done);
        }
        return done;
    }

    private static List<Object> renderNow(String overlay) throws Exception {
        Process p = new ProcessBuilder(kubectl, "kustomize", REPO.resolve("k8s/overlays/" + overlay).toString()).start();
        String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "kubectl kustomize k8s/overlays/" + overlay + " failed:\n" + errors);
        ObjectMapper yamlReader = new YAMLMapper();
        StrictModels models = new StrictModels();
        List<Object> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode node : yamlReader.readValues(new YAMLFactory().createParser(yaml), JsonNode.class).readAll()) {
            try {
                objects.add(models.read(node));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        assertTrue(problems.isEmpty(), overlay + ":\n" + String.join("\n", problems));
        return objects;
    }

    private static <T> List<T> of(List<Object> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Deployment deployment(List<Object> objects, String service) {
        return of(objects, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals("spa-" + service)).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment spa-" + service));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceIsDeployedHealthCheckedBoundedAndGivenSecretsByReference(String overlay) throws Exception {
        List<Object> objects = render(overlay);
        for (String service : SERVICES) {
            Deployment d = deployment(objects, service);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), service);
            assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), service);
            assertNotNull(c.getResources().getRequests().get("memory"), service + " memory request");
            assertNotNull(c.getResources().getLimits().get("memory"), service + " memory limit");
            assertTrue(c.getImage().matches(".*spa/" + service + "(-gpu)?:[\\w.]+"), service + " image " + c.getImage());
            for (EnvVar env : c.getEnv()) {
                boolean sensitive = env.getName().matches(".*(KEY|SECRET|PASSWORD|JAAS|BOOTSTRAP|TOKEN).*");
                assertTrue(!sensitive || (env.getValue() == null && env.getValueFrom().getSecretKeyRef() != null),
                        service + ": " + env.getName() + " must come from a Secret");
            }
            assertTrue(of(objects, Service.class).stream().anyMatch(s -> s.getMetadata().getName().equals("spa-" + service)), "Service for " + service);
            assertTrue(of(objects, PodDisruptionBudget.class).stream().anyMatch(b -> b.getSpec().getSelector().getMatchLabels()
                    .equals(d.getSpec().getSelector().getMatchLabels())), "PodDisruptionBudget for " + service);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachWorkerScalesOnItsOwnTopicAndGroupWithinThePartitions(String overlay) throws Exception {
        List<Object> objects = render(overlay);
        Map<String, Integer> partitions = of(objects, KafkaTopic.class).stream()
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t.getSpec().getPartitions()));
        Set<String> scaled = new HashSet<>();
        for (Keda.ScaledObject so : of(objects, Keda.ScaledObject.class)) {
            String service = so.spec().scaleTargetRef().name().replace("spa-", "");
            deployment(objects, service);
            Keda.Trigger trigger = so.spec().triggers().get(0);
            assertEquals("kafka", trigger.type());
            assertTrue(Keda.KAFKA_METADATA.containsAll(trigger.metadata().keySet()), "unknown Kafka scaler keys in " + trigger.metadata().keySet());
            assertEquals(INPUT_TOPICS.get(service), trigger.metadata().get("topic"), service);
            assertEquals("spa-" + service, trigger.metadata().get("consumerGroup"), service + ": the service's consumer group");
            assertTrue(so.spec().maxReplicaCount() <= partitions.get(trigger.metadata().get("topic")),
                    service + ": more replicas than partitions would leave some idle");
            scaled.add(service);
        }
        assertEquals(Set.copyOf(SERVICES), scaled);
    }

    /** No overlay carries a secret value: the object store's credentials are made in the namespace, never in git. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noOverlayCarriesTheObjectStoresSecret(String overlay) throws Exception {
        for (Secret secret : of(render(overlay), Secret.class)) {
            Set<String> keys = new HashSet<>();
            if (secret.getData() != null) {
                keys.addAll(secret.getData().keySet());
            }
            if (secret.getStringData() != null) {
                keys.addAll(secret.getStringData().keySet());
            }
            assertTrue(keys.stream().noneMatch(k -> k.contains("secret") || k.contains("password") || k.contains("jaas")),
                    overlay + ": Secret " + secret.getMetadata().getName() + " carries " + keys);
        }
    }

    /**
     * In prod each service is its own Kafka user: its Deployment reads the SASL settings from the Secret Strimzi makes
     * for a KafkaUser of the same name (SCRAM-SHA-512, simple ACLs) and trusts the cluster CA it mounts.
     * deploy/local's SecuredKafkaTest runs the platform on a real broker under these users' ACLs.
     */
    @Test
    void inProdEachServiceConnectsToKafkaAsItsOwnUserOverTls() throws Exception {
        List<Object> objects = render("prod");
        Map<String, KafkaUser> users = of(objects, KafkaUser.class).stream().collect(Collectors.toMap(u -> u.getMetadata().getName(), u -> u));
        for (String service : SERVICES) {
            KafkaUser user = users.get("spa-" + service);
            assertNotNull(user, "no KafkaUser spa-" + service);
            assertEquals("scram-sha-512", user.getSpec().getAuthentication().getType(), service);
            assertEquals("simple", user.getSpec().getAuthorization().getType(), service);
            Container c = deployment(objects, service).getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, EnvVar> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
            assertEquals("spa-" + service, env.get("KAFKA_SASL_JAAS_CONFIG").getValueFrom().getSecretKeyRef().getName(), service);
            assertEquals("sasl.jaas.config", env.get("KAFKA_SASL_JAAS_CONFIG").getValueFrom().getSecretKeyRef().getKey(), service);
            String truststore = env.get("KAFKA_SSL_TRUSTSTORE_LOCATION").getValue();
            assertTrue(c.getVolumeMounts().stream().anyMatch(m -> truststore.startsWith(m.getMountPath() + "/")), service + ": " + truststore + " is not mounted");
        }
        assertNotNull(users.get("spa-keda"), "KEDA reads lag as its own user");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyTopicIsDefined(String overlay) throws Exception {
        Set<String> defined = of(render(overlay), KafkaTopic.class).stream().map(t -> t.getSpec().getTopicName()).collect(Collectors.toSet());
        assertTrue(defined.containsAll(Topics.all()), "missing: " + Topics.all().stream().filter(t -> !defined.contains(t)).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theScorerRunsOnAGpuInProdAndOnTheCpuInDev(String overlay) throws Exception {
        Deployment scorer = deployment(render(overlay), "scorer");
        var pod = scorer.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        String backend = c.getEnv().stream().filter(e -> e.getName().equals("SPA_SCORER_BACKEND")).findFirst().orElseThrow().getValue();
        boolean gpu = c.getResources().getLimits().containsKey("nvidia.com/gpu");
        if (overlay.equals("prod")) {
            assertEquals("cuda", backend);
            assertTrue(gpu, "a GPU is requested");
            assertEquals("true", pod.getNodeSelector().get("nvidia.com/gpu.present"));
            assertTrue(pod.getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey())), "tolerates GPU nodes' taint");
        } else {
            assertEquals("cpu", backend);
            assertTrue(!gpu && (pod.getNodeSelector() == null || pod.getNodeSelector().isEmpty()) && pod.getTolerations().isEmpty(),
                    "the CPU variant asks for no GPU");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest", "grouping", "scorer", "exporter"})
    void imagesAreNamedAsDockerComposeNamesThem(String service) throws Exception {
        String compose = Files.readString(REPO.resolve("deploy/docker-compose.yml"));
        String base = Files.readString(REPO.resolve("k8s/base/" + service + ".yaml"));
        String image = "spa/" + service + ":0.1.0";
        assertTrue(compose.contains("image: " + image), "docker-compose builds " + image);
        assertTrue(base.contains("image: " + image), "k8s/base deploys " + image);
    }
}
