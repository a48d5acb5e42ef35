package dev.spa.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Starts a real Kafka broker and a real S3 server for the service under test, and points it at them. */
public class RealServersResource implements QuarkusTestResourceLifecycleManager {
    public static volatile KafkaBroker kafka;
    public static volatile S3Server s3;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("spa-service-test");
            kafka = KafkaBroker.start(dir.resolve("kafka"));
            s3 = S3Server.start(dir.resolve("s3"), "spa-access", "spa-test-secret");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers(), "spa.s3.endpoint", s3.endpoint(),
                "spa.s3.access-key", s3.accessKey(), "spa.s3.secret-key", s3.secretKey());
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }
}
