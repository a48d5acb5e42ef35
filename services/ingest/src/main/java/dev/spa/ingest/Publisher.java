package dev.spa.ingest;

import com.google.protobuf.MessageLite;
import dev.spa.events.JobFailed;
import dev.spa.events.JobStatus;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends ingest's events keyed by job id, each send completing only when the broker has it, so the
 * input is acknowledged (and its offset committed) after the output is written.
 */
@ApplicationScoped
public class Publisher {
    @Inject
    @Channel("registered-out")
    Emitter<byte[]> registered;

    @Inject
    @Channel("accepted")
    Emitter<byte[]> accepted;

    @Inject
    @Channel("failed")
    Emitter<byte[]> failed;

    @Inject
    @Channel("status-out")
    Emitter<byte[]> status;

    public CompletionStage<Void> registered(String jobId, MessageLite event) {
        return send(registered, jobId, event);
    }

    public CompletionStage<Void> accepted(String jobId, MessageLite event) {
        return send(accepted, jobId, event);
    }

    public CompletionStage<Void> failed(JobFailed event) {
        return send(failed, event.getJobId(), event);
    }

    public CompletionStage<Void> status(JobStatus event) {
        return send(status, event.getJobId(), event);
    }

    private static CompletionStage<Void> send(Emitter<byte[]> emitter, String key, MessageLite event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        emitter.send(Message.of(event.toByteArray())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())
                .withAck(() -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(e -> {
                    done.completeExceptionally(e);
                    return CompletableFuture.completedFuture(null);
                }));
        return done;
    }
}
