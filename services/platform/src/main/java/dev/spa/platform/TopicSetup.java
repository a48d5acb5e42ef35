package dev.spa.platform;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Creates the platform's topics up front: every stage topic with the given partitions (the most
 * workers a stage can use), and the status topic compacted, so it keeps each job's latest status.
 */
public final class TopicSetup {
    private TopicSetup() {
    }

    public static void create(String bootstrapServers, int partitions, short replication) {
        create(Map.of("bootstrap.servers", bootstrapServers), partitions, replication);
    }

    /** @param adminClient the Admin client's settings: the address, and credentials where the broker wants them */
    public static void create(Map<String, Object> adminClient, int partitions, short replication) {
        try (Admin admin = Admin.create(adminClient)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : Topics.all()) {
                NewTopic t = new NewTopic(name, partitions, replication);
                if (name.equals(Topics.JOBS_STATUS)) {
                    t.configs(Map.of("cleanup.policy", "compact"));
                }
                topics.add(t);
            }
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
