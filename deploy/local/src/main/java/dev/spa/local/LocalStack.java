package dev.spa.local;

import dev.spa.platform.ObjectStore;
import dev.spa.platform.TopicSetup;
import dev.spa.testkit.IngestClient;
import dev.spa.testkit.KafkaBroker;
import dev.spa.testkit.S3Server;
import dev.spa.testkit.ServerProcess;
import org.apache.kafka.common.acl.AclBinding;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The embedded default deployment with no Docker: a real Kafka broker (KRaft, from Maven Central's
 * jars), a real S3 server (S3Proxy, filesystem backend, signatures checked) and the four services,
 * each a child process with its log in the stack's folder. Closing it stops everything it started.
 */
public final class LocalStack implements AutoCloseable {
    public static final List<String> SERVICES = List.of("ingest", "grouping", "scorer", "exporter");
    /**
     * OBSPA on a large model holds every layer's inverse Hessian: the scorer gets the room. A system property
     * {@code spa.local.heap.<service>} (e.g. {@code -Dspa.local.heap.scorer=12g}) gives one service another heap.
     */
    private static final Map<String, String> HEAPS = Map.of("ingest", "1g", "grouping", "2g", "scorer", "6g", "exporter", "3g");
    private static final String ACCESS_KEY = "spa-local";

    private final Path dir;
    private final Path servicesDir;
    private final KafkaBroker kafka;
    private final S3Server s3;
    private final FolderLock lock;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final String apiToken = newToken();
    private final Map<String, KafkaUsers.User> kafkaUsers = new LinkedHashMap<>();

    private LocalStack(Path dir, Path servicesDir, KafkaBroker kafka, S3Server s3, FolderLock lock) {
        this.dir = dir;
        this.servicesDir = servicesDir;
        this.kafka = kafka;
        this.s3 = s3;
        this.lock = lock;
    }

    /** Starts the servers, creates the topics, then the services; on any failure stops what was started. */
    public static LocalStack start(Path dir, Path servicesDir) {
        return start(dir, servicesDir, () -> KafkaBroker.start(dir.resolve("kafka")), null);
    }

    /**
     * The same on a broker secured as production is (SASL_SSL, SCRAM, ACLs enforced): each service connects as its
     * own user {@code spa-<service>}, given only the ACLs {@code acls} names for that user.
     */
    public static LocalStack startSecured(Path dir, Path servicesDir, Map<String, List<AclBinding>> acls) {
        return start(dir, servicesDir, () -> KafkaBroker.startSecured(dir.resolve("kafka")), acls);
    }

    /** The folder is taken first: starting the broker clears its data, which must never be another stack's. */
    private static LocalStack start(Path dir, Path servicesDir, Supplier<KafkaBroker> broker, Map<String, List<AclBinding>> acls) {
        FolderLock lock = FolderLock.take(dir);
        KafkaBroker kafka;
        try {
            kafka = broker.get();
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        S3Server s3 = null;
        LocalStack stack = null;
        try {
            s3 = S3Server.start(dir.resolve("s3"), ACCESS_KEY, HexFormat.of().formatHex(SecureRandom.getSeed(16)));
            TopicSetup.create(kafka.adminProperties(), 3, (short) 1);
            stack = new LocalStack(dir, servicesDir, kafka, s3, lock);
            if (acls != null) {
                stack.kafkaUsers.putAll(KafkaUsers.create(kafka, SERVICES, acls));
            }
            for (String name : SERVICES) {
                stack.startService(name);
            }
            return stack;
        } catch (RuntimeException e) {
            if (stack != null) {
                stack.close();
            } else {
                if (s3 != null) {
                    s3.close();
                }
                kafka.close();
                lock.close();
            }
            throw e;
        }
    }

    /** Starts (or restarts) one service on its port. */
    public void startService(String name) {
        int port = ports.computeIfAbsent(name, n -> ServerProcess.freePort());
        Map<String, String> settings = Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "spa.s3.endpoint", s3.endpoint(),
                // a restarted worker takes over its partitions within seconds, not the default 45 s
                "kafka.session.timeout.ms", "10000", "kafka.heartbeat.interval.ms", "2000");
        Map<String, String> secrets = new HashMap<>(Map.of("SPA_S3_ACCESS_KEY", s3.accessKey(), "SPA_S3_SECRET_KEY", s3.secretKey(),
                "SPA_AUTH_TOKENS", IngestClient.tokenHash(apiToken) + " local submit,read,admin"));
        if (kafkaUsers.containsKey(name)) {
            secrets.putAll(kafkaUsers.get(name).environment(kafka));
        }
        services.put(name, ServiceProcess.start(name, servicesDir, System.getProperty("spa.local.heap." + name, HEAPS.get(name)), port, settings, secrets, dir.resolve("logs")));
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The bearer token of this stack's one user, made fresh for each stack: what its clients send to ingest. It is the
     * stack's operator (admin), so it also sees the jobs that came through Kafka, a bucket notification or a batch.
     */
    public String apiToken() {
        return apiToken;
    }

    /** Kills one service as a crash would (nothing finished, nothing acknowledged). */
    public void killService(String name) {
        ServiceProcess s = services.remove(name);
        if (s != null) {
            s.kill();
        }
    }

    /** Stops one service as an orchestrator would: SIGTERM, its graceful shutdown, then the hard way after 20 s. */
    public void stopService(String name) {
        ServiceProcess s = services.remove(name);
        if (s != null) {
            s.close();
        }
    }

    public String url(String service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Client settings of the broker's super user (only the address on an open broker). */
    public Map<String, Object> kafkaAdmin() {
        return kafka.adminProperties();
    }

    /** Client settings that connect as one service's own Kafka user, on a stack from {@link #startSecured}. */
    public Map<String, Object> kafkaClientAs(String service) {
        KafkaUsers.User user = kafkaUsers.get(service);
        if (user == null) {
            throw new IllegalStateException("no Kafka user for " + service + ": the stack's broker is not secured");
        }
        return kafka.security().orElseThrow().clientProperties(kafka.bootstrapServers(), user.name(), user.password());
    }

    public ObjectStore store() {
        return ObjectStore.connect(s3.endpoint(), s3.accessKey(), s3.secretKey());
    }

    public String s3Endpoint() {
        return s3.endpoint();
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    @Override
    public void close() {
        List<ServiceProcess> running = new ArrayList<>(services.values());
        Collections.reverse(running);
        running.forEach(ServiceProcess::close);
        services.clear();
        s3.close();
        kafka.close();
        lock.close();
    }
}
