package dev.spa.ingest;

import dev.spa.SpaException;
import dev.spa.events.JobStatus;
import dev.spa.events.ModelRegistered;
import dev.spa.events.PruningRequest;
import dev.spa.platform.JobEvents;
import dev.spa.platform.JobRef;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.util.Map;
import java.util.UUID;

/**
 * POST /models: upload an ONNX model (the request body, streamed to the object store) and register it;
 * the query parameters override the configured pruning policy. Answers 202 with the job id and where
 * to follow it; 400 for a bad parameter or an empty body, 413 for a model over the size limit, 429
 * while too many uploads are in progress. The job belongs to the caller's tenant.
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
                           @QueryParam("latency-threads") Integer latencyThreads, @QueryParam("latency-batch") Integer latencyBatch) {
        PruningRequest request;
        try {
            request = new UploadPolicy().criterion(criterion).target(target).global(global).hessian(hessian).roundTo(roundTo)
                    .floors(floor, qualityFloor).evaluation(evaluationInputs, evaluationLabels).deadline(deadline)
                    .failIfSlower(failIfSlower).latencyRuntime(latencyThreads, latencyBatch).inputStatistics(inputMean, inputStd).build();
        } catch (SpaException e) {
            return error(400, e.getMessage());
        }
        String jobId = UUID.randomUUID().toString();
        Uploads.Stored stored;
        try {
            stored = uploads.store(jobId, name, body);
        } catch (UploadRefused e) {
            Response.ResponseBuilder refused = Response.status(e.status()).entity(Map.of("error", e.getMessage()));
            return (e.status() == 429 ? refused.header("Retry-After", "5") : refused).build();
        }
        owners.record(jobId, caller.get().tenant());
        String uri = stored.uri().toString();
        ModelRegistered event = ModelRegistered.newBuilder().setJobId(jobId).setModelUri(uri).setRequest(request)
                .setSha256(stored.sha256()).setRegisteredAtMs(System.currentTimeMillis()).build();
        publisher.registered(event).thenCompose(v -> events.status(JobRef.of(jobId, "", uri, request),
                JobStatus.State.REGISTERED, "ingest", "uploaded to " + uri)).toCompletableFuture().join();
        return Response.accepted(Map.of("jobId", jobId, "modelUri", uri, "status", "/jobs/" + jobId)).build();
    }

    private static Response error(int status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }
}
