package dev.spa.ingest;

import dev.spa.events.JobAccepted;
import dev.spa.events.ModelRegistered;
import dev.spa.platform.EventSender;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Ingest's own outputs, keyed by job id: registrations (from uploads, notifications, batches) and accepted jobs. */
@ApplicationScoped
public class Publisher {
    @Inject
    @Channel("registered-out")
    Emitter<byte[]> registered;

    @Inject
    @Channel("accepted")
    Emitter<byte[]> accepted;

    public CompletionStage<Void> registered(ModelRegistered event) {
        return EventSender.send(registered, event.getJobId(), event);
    }

    /** Sends them one after another; completes when the broker has them all. */
    public CompletionStage<Void> registered(List<ModelRegistered> events) {
        CompletionStage<Void> sent = CompletableFuture.completedFuture(null);
        for (ModelRegistered event : events) {
            sent = sent.thenCompose(v -> registered(event));
        }
        return sent;
    }

    public CompletionStage<Void> accepted(JobAccepted event) {
        return EventSender.send(accepted, event.getJobId(), event);
    }
}
