package dev.spa.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spa.events.ModelRegistered;
import dev.spa.platform.S3Uri;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * spa.bucket.events: MinIO/S3 bucket notifications (JSON). Every new {@code .onnx} object becomes a
 * ModelRegistered with the default policy; the job id is derived from the bucket, key and ETag, so
 * the same notification delivered twice registers the same job.
 */
@ApplicationScoped
public class BucketNotifications {
    private final ObjectMapper json = new ObjectMapper();

    @Inject
    Publisher publisher;

    @Incoming("bucket-events")
    @Blocking
    public CompletionStage<Void> consume(Message<String> message) {
        List<ModelRegistered> models;
        try {
            models = registrations(message.getPayload());
        } catch (Exception e) {
            return message.nack(new IllegalArgumentException("not an S3 bucket notification: " + e.getMessage()));
        }
        return publisher.registered(models).thenCompose(v -> message.ack());
    }

    List<ModelRegistered> registrations(String payload) throws Exception {
        JsonNode root = json.readTree(payload);
        JsonNode records = root.path("Records");
        if (!records.isArray()) {
            throw new IllegalArgumentException("no Records array");
        }
        List<ModelRegistered> out = new ArrayList<>();
        for (JsonNode r : records) {
            String event = r.path("eventName").asText("");
            String bucket = r.path("s3").path("bucket").path("name").asText("");
            String key = URLDecoder.decode(r.path("s3").path("object").path("key").asText(""), StandardCharsets.UTF_8);
            String etag = r.path("s3").path("object").path("eTag").asText("");
            if (!event.contains("ObjectCreated") || !key.endsWith(".onnx") || bucket.isEmpty()) {
                continue;
            }
            String uri = new S3Uri(bucket, key).toString();
            String jobId = "obj-" + UUID.nameUUIDFromBytes((uri + "#" + etag).getBytes(StandardCharsets.UTF_8));
            out.add(ModelRegistered.newBuilder().setJobId(jobId).setModelUri(uri).setRegisteredAtMs(System.currentTimeMillis()).build());
        }
        return out;
    }
}
