package dev.spa.load;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.spa.events.JobFailed;
import dev.spa.events.ModelPruned;
import dev.spa.platform.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows the two topics where a job ends, {@code spa.models.pruned} and {@code spa.jobs.failed}, from
 * the beginning, in a thread of its own: the first end of each job and when it was seen. A second end
 * for the same job (a redelivery) is counted, not recorded again.
 */
final class Outcomes implements AutoCloseable {
    /** How a job ended: pruned (with the platform's own stage timings) or failed (with the code). */
    record End(long seenAtMs, ModelPruned pruned, JobFailed failed) {
        boolean ok() {
            return pruned != null;
        }
    }

    private final Map<String, End> ends = new ConcurrentHashMap<>();
    private final Map<String, Integer> repeats = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    Outcomes(String bootstrapServers) {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrapServers, "group.id", "load-test-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest");
        thread = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(Topics.MODELS_PRUNED, Topics.JOBS_FAILED));
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        record(r);
                    }
                }
            }
        }, "load-test-outcomes");
        thread.setDaemon(true);
        thread.start();
    }

    private void record(ConsumerRecord<String, byte[]> r) {
        long now = System.currentTimeMillis();
        try {
            End end = r.topic().equals(Topics.MODELS_PRUNED)
                    ? new End(now, ModelPruned.parseFrom(r.value()), null)
                    : new End(now, null, JobFailed.parseFrom(r.value()));
            String job = end.ok() ? end.pruned().getJobId() : end.failed().getJobId();
            if (ends.putIfAbsent(job, end) != null) {
                repeats.merge(job, 1, Integer::sum);
            }
        } catch (InvalidProtocolBufferException e) {
            System.err.println("unreadable record on " + r.topic() + ": " + e.getMessage());
        }
    }

    End end(String jobId) {
        return ends.get(jobId);
    }

    int repeatedEnds() {
        return repeats.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
