package dev.spa.testkit;

import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The test servers are the real thing: a Kafka broker that delivers records, an S3 server that checks signatures. */
class RealServersTest {
    @TempDir
    Path dir;

    @Test
    void kafkaBrokerDeliversARecordAndStopsWithItsProcess() {
        KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
        try (broker) {
            Map<String, Object> common = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(common, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("spa.test", "job-1".getBytes(StandardCharsets.UTF_8),
                        "hello".getBytes(StandardCharsets.UTF_8))).get();
            } catch (Exception e) {
                throw new AssertionError("produce failed: " + e + "\n" + broker.logTail(), e);
            }
            Map<String, Object> consumerConfig = new HashMap<>(common);
            consumerConfig.put("group.id", "test");
            consumerConfig.put("auto.offset.reset", "earliest");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("spa.test"));
                ConsumerRecord<byte[], byte[]> got = null;
                for (int i = 0; i < 60 && got == null; i++) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        got = r;
                    }
                }
                assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), got == null ? null : got.value());
                assertEquals("job-1", new String(got.key(), StandardCharsets.UTF_8));
            }
        }
        assertFalse(broker.isAlive(), "closing the broker stops its process");
    }

    @Test
    void s3ServerStoresObjectsAndRejectsAWrongSecret() throws Exception {
        try (S3Server s3 = S3Server.start(dir.resolve("s3"), "spa-access", "spa-secret-key")) {
            MinioClient client = MinioClient.builder().endpoint(s3.endpoint()).credentials(s3.accessKey(), s3.secretKey()).build();
            client.makeBucket(MakeBucketArgs.builder().bucket("models").build());
            byte[] data = "an onnx model".getBytes(StandardCharsets.UTF_8);
            client.putObject(PutObjectArgs.builder().bucket("models").object("jobs/1/model.onnx")
                    .stream(new ByteArrayInputStream(data), data.length, -1).build());
            try (var in = client.getObject(GetObjectArgs.builder().bucket("models").object("jobs/1/model.onnx").build())) {
                assertArrayEquals(data, in.readAllBytes());
            }
            MinioClient wrong = MinioClient.builder().endpoint(s3.endpoint()).credentials(s3.accessKey(), "not-the-secret").build();
            ErrorResponseException e = assertThrows(ErrorResponseException.class,
                    () -> wrong.statObject(StatObjectArgs.builder().bucket("models").object("jobs/1/model.onnx").build()));
            assertEquals("SignatureDoesNotMatch", e.errorResponse().code());
        }
    }
}
