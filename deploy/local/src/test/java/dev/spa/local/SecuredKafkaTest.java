package dev.spa.local;

import dev.spa.events.JobAccepted;
import dev.spa.events.JobStatus;
import dev.spa.platform.Topics;
import dev.spa.testkit.IngestClient;
import dev.spa.testkit.KafkaSecurity;
import dev.spa.testkit.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform on a broker secured as the prod overlay wants it: SASL_SSL with SCRAM-SHA-512, a certificate the
 * clients must trust, ACLs enforced with nothing allowed by default, and each service connected as its own user
 * with exactly the ACLs of k8s/overlays/prod/kafka-users.yaml. The services take their credentials from the
 * same environment variables the prod Deployments set.
 */
class SecuredKafkaTest {
    private static final Path REPO = Path.of(System.getProperty("spa.repo.dir", "../.."));
    private static LocalStack stack;

    @BeforeAll
    static void startSecuredStack() throws Exception {
        Path model = Path.of(System.getProperty("spa.shared.dir", "../../shared"), "models", "digits_mobilenet.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(model), "skipped: " + model + " is absent (the shared test models live beside the repository)");
        Map<String, List<AclBinding>> acls = StrimziAcls.read(REPO.resolve("k8s/overlays/prod/kafka-users.yaml"));
        stack = LocalStack.startSecured(Files.createTempDirectory("spa-secured"), Path.of(System.getProperty("spa.services.dir", "../../services")), acls);
        TopicReader.use(stack.kafkaAdmin());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aModelIsPrunedEndToEndWithEachServiceHoldingOnlyItsOwnAcls() throws Exception {
        byte[] model = Files.readAllBytes(Path.of(System.getProperty("spa.shared.dir", "../../shared"), "models", "digits_mobilenet.onnx"));
        String job = IngestClient.upload(stack.url("ingest"), stack.apiToken(), HttpRequest.BodyPublishers.ofByteArray(model),
                "?name=digits.onnx&criterion=l2&target=macs%3D0.5" + PlatformEndToEndTest.NO_QUALITY_FLOOR);
        JobStatus done = JobStatuses.awaitState(stack, job, JobStatus.State.DONE, Duration.ofMinutes(4));
        assertTrue(done.getPrunedModelUri().endsWith("jobs/" + job + "/pruned.onnx"), done.toString());
    }

    @Test
    void aStageCannotForgeAnotherStagesEvents() {
        // grouping consumes accepted jobs; it must not be able to write one (only ingest accepts jobs)
        ExecutionException forged = assertThrows(ExecutionException.class, () -> send(stack.kafkaClientAs("grouping"), Topics.JOBS_ACCEPTED));
        assertInstanceOf(TopicAuthorizationException.class, forged.getCause());
        // nor may the exporter write a plan (the scorer's output) or a registration
        assertInstanceOf(TopicAuthorizationException.class,
                assertThrows(ExecutionException.class, () -> send(stack.kafkaClientAs("exporter"), Topics.PLANS)).getCause());
        assertInstanceOf(TopicAuthorizationException.class,
                assertThrows(ExecutionException.class, () -> send(stack.kafkaClientAs("scorer"), Topics.MODELS_REGISTERED)).getCause());
    }

    @Test
    void aStageCannotReadWhatIsNotItsInputNorJoinAnotherStagesGroup() {
        Map<String, Object> scorer = new HashMap<>(stack.kafkaClientAs("scorer"));
        scorer.put("group.id", "spa-scorer");
        assertThrows(TopicAuthorizationException.class, () -> poll(scorer, Topics.JOBS_ACCEPTED), "the scorer reads groups, not accepted jobs");
        Map<String, Object> exporterAsGrouping = new HashMap<>(stack.kafkaClientAs("exporter"));
        exporterAsGrouping.put("group.id", "spa-grouping");
        assertThrows(GroupAuthorizationException.class, () -> poll(exporterAsGrouping, Topics.PLANS), "the exporter may not join grouping's group");
    }

    @Test
    void aWrongPasswordOrAnUntrustedCertificateOrNoTlsIsRefused() throws Exception {
        Map<String, Object> wrong = new HashMap<>(stack.kafkaClientAs("ingest"));
        wrong.put("sasl.jaas.config", KafkaSecurity.jaas("spa-ingest", "not-the-password"));
        assertInstanceOf(SaslAuthenticationException.class, listTopics(wrong));

        Map<String, Object> untrusted = new HashMap<>(stack.kafkaClientAs("ingest"));
        untrusted.remove("ssl.truststore.type");
        untrusted.remove("ssl.truststore.location");
        assertInstanceOf(SslAuthenticationException.class, listTopics(untrusted), "the JDK's CAs do not vouch for the broker");

        Map<String, Object> plaintext = Map.of("bootstrap.servers", stack.bootstrapServers());
        assertNotNull(listTopics(plaintext), "a PLAINTEXT client gets nothing from the SASL_SSL listener");
    }

    private static void send(Map<String, Object> client, String topic) throws Exception {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put("max.block.ms", 15000);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, "forged".getBytes(), JobAccepted.newBuilder().setJobId("forged").build().toByteArray())).get(20, TimeUnit.SECONDS);
        }
    }

    private static void poll(Map<String, Object> client, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(client, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(500));
            }
        }
    }

    /** The reason listing topics failed with these settings (null if it did not fail, which the callers reject). */
    private static Throwable listTopics(Map<String, Object> client) throws InterruptedException {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put("default.api.timeout.ms", 8000);
        settings.put("request.timeout.ms", 4000);
        try (Admin admin = Admin.create(settings)) {
            admin.listTopics().names().get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
