package dev.spa.testkit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** Test-side Kafka: sends raw records and waits for the first record on a topic that matches. */
public final class TopicReader {
    private static volatile Map<String, Object> client;

    private TopicReader() {
    }

    /** Points the reader at a broker other than {@link RealServersResource}'s (the local stack's). */
    public static void use(String bootstrapServers) {
        use(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** The same for a broker that wants credentials: the client settings to connect with. */
    public static void use(Map<String, Object> clientSettings) {
        client = Map.copyOf(clientSettings);
    }

    private static Map<String, Object> client(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(client != null ? client : RealServersResource.kafka.adminProperties());
        settings.putAll(extra);
        return settings;
    }

    public static void send(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(client(Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)).get();
        }
    }

    public static ConsumerRecord<byte[], byte[]> await(String topic, Predicate<ConsumerRecord<byte[], byte[]>> match) {
        return awaitAll(topic, match, 1, Duration.ofSeconds(90)).get(0);
    }

    /** Waits for {@code count} matching records, in topic order per partition. */
    public static List<ConsumerRecord<byte[], byte[]>> awaitAll(String topic, Predicate<ConsumerRecord<byte[], byte[]>> match,
                                                              int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        Map<String, Object> config = client(Map.of("group.id", "test-" + UUID.randomUUID(), "auto.offset.reset", "earliest"));
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (match.test(r)) {
                        found.add(r);
                        if (found.size() == count) {
                            return found;
                        }
                    }
                }
            }
        }
        throw new AssertionError(found.size() + " of " + count + " matching records on " + topic + " within " + timeout.toSeconds() + " s");
    }

    public static boolean keyIs(ConsumerRecord<byte[], byte[]> r, String key) {
        return r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key);
    }

    public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
