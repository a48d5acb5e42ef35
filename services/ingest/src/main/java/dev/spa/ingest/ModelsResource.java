package dev.spa.ingest;

import dev.spa.SpaException;
import dev.spa.events.JobStatus;
import dev.spa.events.ModelRegistered;
import dev.spa.events.PruningRequest;
import dev.spa.platform.JobEvents;
import dev.spa.platform.JobRef;
import dev.spa.platform.JobRejected;
import dev.spa.platform.StoreSetup;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * POST /models: upload an ONNX model (the request body, streamed to the object store) and register it;
 * the query parameters override the configured pruning policy. Answers 202 with the job id and where
 * to follow it; 400 for a bad parameter or an empty body, 413 for a model over the size limit, 429
 * while too many uploads are in progress. With {@code uri=} and no body, a model already in the store (with its
 * external data beside it) is registered instead. The job belongs to the caller's tenant.
 */
@Path("/models")
public class ModelsResource {
    @Inject
    JobEvents events;

    @Inject
    Publisher publisher;

    @Inject
    Uploads uploads;

    @Inject
    JobOwners owners;

    @Inject
    CurrentCaller caller;

    @Inject
    SourcePolicy sources;

    @Inject
    StoreSetup setup;

    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Response upload(InputStream body, @QueryParam("name") String name, @QueryParam("criterion") String criterion,
                           @QueryParam("target") String target, @QueryParam("global") Boolean global,
                           @QueryParam("hessian") String hessian, @QueryParam("round-to") String roundTo,
                           @QueryParam("input-mean") String inputMean, @QueryParam("input-std") String inputStd,
                           @QueryParam("floor") Double floor, @QueryParam("quality-floor") Double qualityFloor,
                           @QueryParam("evaluation-inputs") String evaluationInputs, @QueryParam("evaluation-labels") String evaluationLabels,
                           @QueryParam("deadline") Integer deadline, @QueryParam("fail-if-slower") Boolean failIfSlower,
                           @QueryParam("best-effort") Boolean bestEffort, @QueryParam("input-shape") List<String> inputShapes,
                           @QueryParam("latency-threads") Integer latencyThreads, @QueryParam("latency-batch") Integer latencyBatch,
                           @QueryParam("uri") String modelUri) {
        PruningRequest request;
        try {
            request = new UploadPolicy().criterion(criterion).target(target).global(global).hessian(hessian).roundTo(roundTo)
                    .floors(floor, qualityFloor).evaluation(evaluationInputs, evaluationLabels).deadline(deadline)
                    .failIfSlower(failIfSlower).bestEffort(bestEffort).inputShapes(inputShapes).latencyRuntime(latencyThreads, latencyBatch).inputStatistics(inputMean, inputStd).build();
        } catch (SpaException e) {
            return error(400, e.getMessage());
        }
        String jobId = UUID.randomUUID().toString();
        String uri;
        String sha256 = "";
        if (modelUri != null) {
            Response refused = refusedStoredModel(modelUri, body);
            if (refused != null) {
                return refused;
            }
            uri = modelUri;
        } else {
            Uploads.Stored stored;
            try {
                stored = uploads.store(jobId, name, body);
            } catch (UploadRefused e) {
                Response.ResponseBuilder refused = Response.status(e.status()).entity(Map.of("error", e.getMessage()));
                return (e.status() == 429 || e.status() == 503 ? refused.header("Retry-After", "5") : refused).build();
            }
            uri = stored.uri().toString();
            sha256 = stored.sha256();
        }
        owners.record(jobId, caller.get().tenant());
        ModelRegistered event = ModelRegistered.newBuilder().setJobId(jobId).setModelUri(uri).setRequest(request)
                .setSha256(sha256).setRegisteredAtMs(System.currentTimeMillis()).build();
        publisher.registered(event).thenCompose(v -> events.status(JobRef.of(jobId, "", uri, request),
                JobStatus.State.REGISTERED, "ingest", (modelUri == null ? "uploaded to " : "registered ") + uri)).toCompletableFuture().join();
        return Response.accepted(Map.of("jobId", jobId, "modelUri", uri, "status", "/jobs/" + jobId)).build();
    }

    /**
     * {@code uri=}: a model already in the store is registered instead of uploaded, which is how one with external
     * data (data files beside the .onnx, as models over 2 GiB are stored) comes in over HTTP. Its address must be
     * one the platform may read (else 403) and the body empty (else 400); ingest then validates it as any registration.
     */
    private Response refusedStoredModel(String modelUri, InputStream body) {
        try {
            sources.check("model", modelUri);
        } catch (JobRejected e) {
            return error(e.code().equals("SOURCE_NOT_ALLOWED") ? 403 : 400, e.getMessage());
        }
        if (modelUri.startsWith("s3://" + setup.bucket() + "/uploads/")) {
            // an upload belongs to the job (and the tenant) it came with
            return error(403, "model " + modelUri + " is another job's upload");
        }
        try {
            if (body != null && body.read() != -1) {
                return error(400, "give the model as the body or as uri=, not both");
            }
        } catch (IOException e) {
            return error(400, "cannot read the request body: " + e.getMessage());
        }
        return null;
    }

    private static Response error(int status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }
}
