package dev.spa.ingest;

import dev.spa.SpaException;
import dev.spa.runtime.InputStatistics;
import dev.spa.events.JobStatus;
import dev.spa.events.ModelRegistered;
import dev.spa.events.PruningRequest;
import dev.spa.platform.JobEvents;
import dev.spa.platform.JobRef;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.StoreSetup;
import dev.spa.platform.S3Uri;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

/**
 * POST /models: upload an ONNX model (the request body) and register it; the query parameters
 * override the configured pruning policy. Answers 202 with the job id and where to follow it.
 */
@Path("/models")
public class ModelsResource {
    @Inject
    ObjectStore store;

    @Inject
    StoreSetup setup;

    @Inject
    JobEvents events;

    @Inject
    Publisher publisher;

    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(byte[] body, @QueryParam("name") String name, @QueryParam("criterion") String criterion,
                           @QueryParam("target") String target, @QueryParam("global") Boolean global,
                           @QueryParam("hessian") String hessian, @QueryParam("round-to") Integer roundTo,
                           @QueryParam("input-mean") String inputMean, @QueryParam("input-std") String inputStd,
                           @QueryParam("floor") Double floor, @QueryParam("quality-floor") Double qualityFloor,
                           @QueryParam("evaluation-inputs") String evaluationInputs, @QueryParam("evaluation-labels") String evaluationLabels) {
        if (body == null || body.length == 0) {
            return Response.status(400).entity(Map.of("error", "the request body must be the ONNX model's bytes")).build();
        }
        String jobId = UUID.randomUUID().toString();
        String file = name == null || name.isBlank() ? "model.onnx" : name.replaceAll("[^A-Za-z0-9._-]", "_");
        S3Uri uri = new S3Uri(setup.bucket(), "uploads/" + jobId + "/" + file);
        store.put(uri, body, "application/octet-stream");
        PruningRequest.Builder request = PruningRequest.newBuilder();
        if (criterion != null) {
            request.setCriterion(criterion);
        }
        if (target != null) {
            request.setTarget(target);
        }
        if (global != null) {
            request.setGlobal(global);
        }
        if (hessian != null) {
            request.setHessianSource(hessian);
        }
        if (roundTo != null) {
            request.setRoundTo(roundTo);
        }
        if (evaluationInputs != null && evaluationLabels != null) {
            request.setEvaluationInputsUri(evaluationInputs).setEvaluationLabelsUri(evaluationLabels);
        }
        if (floor != null) {
            request.setFloor(floor);
        }
        if (qualityFloor != null) {
            request.setQualityFloor(qualityFloor);
        }
        try {
            if (inputMean != null || inputStd != null) {
                InputStatistics stated = InputStatistics.stated(inputMean == null ? "0" : inputMean, inputStd == null ? "1" : inputStd);
                Arrays.stream(stated.mean()).forEach(request::addInputChannelMean);
                Arrays.stream(stated.std()).forEach(request::addInputChannelStd);
            }
        } catch (SpaException e) {
            return Response.status(400).entity(Map.of("error", e.getMessage())).build();
        }
        ModelRegistered event = ModelRegistered.newBuilder().setJobId(jobId).setModelUri(uri.toString()).setRequest(request)
                .setSha256(ModelValidator.sha256(body)).setRegisteredAtMs(System.currentTimeMillis()).build();
        publisher.registered(event).thenCompose(v -> events.status(new JobRef(jobId, "", uri.toString()),
                JobStatus.State.REGISTERED, "ingest", "uploaded to " + uri)).toCompletableFuture().join();
        return Response.accepted(Map.of("jobId", jobId, "modelUri", uri.toString(), "status", "/jobs/" + jobId)).build();
    }
}
