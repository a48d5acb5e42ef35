package dev.spa.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A real Apache Kafka broker in KRaft mode (broker and controller in one process), run from the jars
 * of Maven Central that the build copied: its storage is formatted, then it is started on free ports.
 */
public final class KafkaBroker extends ServerProcess {
    private final int port;

    private KafkaBroker(List<String> command, Path dir, int port) {
        super("Kafka broker", command, dir, dir.resolve("kafka.log"));
        this.port = port;
    }

    /** Formats a fresh log folder under {@code dir} and starts a single-node cluster. */
    public static KafkaBroker start(Path dir) {
        int port = freePort();
        int controller = freePort();
        String classpath = serversDir().resolve("kafka").toAbsolutePath() + "/*";
        Path config = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir);
            // every start formats with a new cluster id: a log folder left by an earlier run would refuse it
            deleteRecursively(dir.resolve("data"));
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controller,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "num.partitions=3",
                    "auto.create.topics.enable=true") + "\n");
            Process format = new ProcessBuilder(java(), "-cp", classpath, "kafka.tools.StorageTool", "format",
                    // "=" form: an id may begin with '-', which the tool would otherwise read as an option
                    "--cluster-id=" + Base64Uuid.random(), "--config=" + config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
            if (format.waitFor() != 0) {
                throw new IllegalStateException("formatting Kafka's storage failed:\n" + Files.readString(dir.resolve("format.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        KafkaBroker broker = new KafkaBroker(List.of(java(), "-Xmx512m", "-cp", classpath, "kafka.Kafka", config.toString()), dir, port);
        broker.awaitPort(port, Duration.ofSeconds(90));
        return broker;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. */
    private static final class Base64Uuid {
        static String random() {
            UUID u = UUID.randomUUID();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
        }
    }
}
