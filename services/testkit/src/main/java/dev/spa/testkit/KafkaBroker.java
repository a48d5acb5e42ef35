package dev.spa.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker in KRaft mode (broker and controller in one process), run from the jars
 * of Maven Central that the build copied: its storage is formatted, then it is started on free ports.
 */
public final class KafkaBroker extends ServerProcess {
    private final int port;
    private final KafkaSecurity security;

    private KafkaBroker(List<String> command, Path dir, int port, KafkaSecurity security) {
        super("Kafka broker", command, dir, dir.resolve("kafka.log"));
        this.port = port;
        this.security = security;
    }

    /** Formats a fresh log folder under {@code dir} and starts a single-node cluster open to any client (PLAINTEXT). */
    public static KafkaBroker start(Path dir) {
        return start(dir, null);
    }

    /**
     * The same, secured as production is: SASL_SSL with SCRAM-SHA-512, ACLs enforced, no access without one
     * ({@link KafkaSecurity}). Clients connect with {@link #clientProperties}; the admin sets up users and ACLs.
     */
    public static KafkaBroker startSecured(Path dir) {
        return start(dir, KafkaSecurity.create(dir.resolve("tls")));
    }

    private static KafkaBroker start(Path dir, KafkaSecurity security) {
        int port = freePort();
        int controller = freePort();
        String classpath = serversDir().resolve("kafka").toAbsolutePath() + "/*";
        Path config = dir.resolve("server.properties");
        List<String> settings = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "controller.listener.names=CONTROLLER",
                "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.partitions=3",
                "auto.create.topics.enable=true"));
        settings.addAll(security != null ? security.brokerSettings(port, controller) : List.of(
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"));
        try {
            Files.createDirectories(dir);
            // every start formats with a new cluster id: a log folder left by an earlier run would refuse it
            deleteRecursively(dir.resolve("data"));
            Files.writeString(config, String.join("\n", settings) + "\n");
            List<String> format = new ArrayList<>(List.of(java(), "-cp", classpath, "kafka.tools.StorageTool", "format",
                    // "=" form: an id may begin with '-', which the tool would otherwise read as an option
                    "--cluster-id=" + Base64Uuid.random(), "--config=" + config));
            if (security != null) {
                format.addAll(security.formatArguments());
            }
            Process formatting = new ProcessBuilder(format).redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
            if (formatting.waitFor() != 0) {
                throw new IllegalStateException("formatting Kafka's storage failed:\n" + Files.readString(dir.resolve("format.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        KafkaBroker broker = new KafkaBroker(List.of(java(), "-Xmx512m",
                // warnings and errors only in kafka.log: enough to say why a broker did not start, not a page per second
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath, "kafka.Kafka", config.toString()), dir, port, security);
        broker.awaitPort(port, Duration.ofSeconds(90));
        return broker;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** What a client needs to connect as the broker's super user: only the bootstrap address when it is open. */
    public Map<String, Object> adminProperties() {
        return security == null ? Map.of("bootstrap.servers", bootstrapServers()) : security.adminProperties(bootstrapServers());
    }

    /** The security of a broker from {@link #startSecured}; none for an open one. */
    public Optional<KafkaSecurity> security() {
        return Optional.ofNullable(security);
    }

    /** Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. */
    private static final class Base64Uuid {
        static String random() {
            UUID u = UUID.randomUUID();
            ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
        }
    }
}
