package dev.spa.local;

import dev.spa.platform.Topics;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml cannot run here (no Docker), so this keeps it consistent with the code that
 * does run: it creates every topic the services use, and every setting it passes is one the
 * services read (environment names map to configuration keys as MicroProfile Config maps them).
 */
class ComposeConsistencyTest {
    private static String compose() throws Exception {
        Path file = Path.of(System.getProperty("spa.services.dir", "../../services")).resolve("../deploy/docker-compose.yml");
        return Files.readString(file);
    }

    @Test
    void composeCreatesEveryTopicWithTheStatusTopicCompacted() throws Exception {
        String compose = compose();
        for (String topic : Topics.all()) {
            String base = topic.endsWith(".dlq") ? topic.substring(0, topic.length() - 4) : topic;
            assertTrue(compose.contains(base), "docker-compose.yml does not create " + topic);
        }
        assertTrue(compose.contains("--topic spa.jobs.status --partitions 3 --config cleanup.policy=compact"));
    }

    @Test
    void everySettingComposePassesIsOneTheServicesRead() throws Exception {
        Properties shared = new Properties();
        try (InputStream in = Topics.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            shared.load(in);
        }
        Matcher env = Pattern.compile("^ {4}(SPA_[A-Z0-9_]+|KAFKA_BOOTSTRAP_SERVERS):", Pattern.MULTILINE).matcher(compose());
        int seen = 0;
        while (env.find()) {
            String key = env.group(1).toLowerCase().replace('_', '.');
            String asRead = key.replace("s3.access.key", "s3.access-key").replace("s3.secret.key", "s3.secret-key");
            assertTrue(shared.containsKey(asRead) || shared.toString().contains(env.group(1)),
                    env.group(1) + " in docker-compose.yml matches no setting the services read");
            seen++;
        }
        assertTrue(seen >= 5, "found the services' environment in docker-compose.yml: " + seen);
        assertTrue(new String(compose().getBytes(StandardCharsets.UTF_8)).contains("spa.bucket.events"));
    }
}
