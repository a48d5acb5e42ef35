package dev.spa.platform;

import com.google.protobuf.MessageLite;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends a protobuf event keyed by job id (batch id for batch events). The returned stage completes
 * when the broker has the record, so a consumer acknowledges its input (and its offset is
 * committed) only after its output is written.
 */
public final class EventSender {
    private EventSender() {
    }

    public static CompletionStage<Void> send(Emitter<byte[]> emitter, String key, MessageLite event) {
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
