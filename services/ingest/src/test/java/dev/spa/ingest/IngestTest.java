package dev.spa.ingest;

import dev.spa.events.JobAccepted;
import dev.spa.events.JobFailed;
import dev.spa.events.ModelRegistered;
import dev.spa.events.PruningRequest;
import dev.spa.onnx.Onnx;
import dev.spa.platform.JobKeys;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.S3Uri;
import dev.spa.platform.Topics;
import dev.spa.testkit.IngestClient;
import dev.spa.testkit.RealServersResource;
import dev.spa.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ingest on a real Kafka broker and a real S3 server. */
@QuarkusTest
@QuarkusTestResource(value = RealServersResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OidcIssuer.class, restrictToAnnotatedClass = true)
class IngestTest {
    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    @jakarta.inject.Inject
    IngestSetup setup;

    private static byte[] digitsModel() throws Exception {
        Path model = Path.of(System.getProperty("spa.shared.dir", "../../../shared"), "models", "digits_mobilenet.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(model), "skipped: " + model + " is absent (the shared test models live beside the repository)");
        return Files.readAllBytes(model);
    }

    private static final String TEAM_A = "team-a-test-token-0001";
    private static final String TEAM_B = "team-b-test-token-0002";
    private static final String TEAM_A_READER = "team-a-reader-token-0003";

    private String ingest() {
        return base.toString().replaceAll("/$", "");
    }

    private String upload(byte[] body, String query) {
        String ingest = ingest();
        return IngestClient.upload(ingest, TEAM_A, HttpRequest.BodyPublishers.ofByteArray(body), query);
    }

    private String awaitStatus(String jobId, String state) throws Exception {
        return awaitStatus(TEAM_A, jobId, state);
    }

    /** The job's status as the token's holder reads it, once it has reached the state (statuses arrive through Kafka). */
    private String awaitStatus(String token, String jobId, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = IngestClient.status(ingest(), token, jobId);
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200 && r.body().contains("\"state\": \"" + state + "\"")) {
                return r.body();
            }
            Thread.sleep(300);
        }
        throw new AssertionError("job " + jobId + " never reached " + state + "; last answer: " + last);
    }

    @Test
    void anUploadedModelIsValidatedAcceptedWithThePolicyAndVisibleOverHttp() throws Exception {
        String jobId = upload(digitsModel(), "?name=digits.onnx&criterion=l2&target=macs%3D0.4");
        JobAccepted accepted = JobAccepted.parseFrom(TopicReader.await(Topics.JOBS_ACCEPTED, r -> TopicReader.keyIs(r, jobId)).value());
        assertEquals("s3://spa/jobs/" + jobId + "/model/model.onnx", accepted.getModelUri());
        assertEquals("l2", accepted.getRequest().getCriterion(), "the upload's override");
        assertEquals("macs=0.4", accepted.getRequest().getTarget());
        assertEquals("data-free", accepted.getRequest().getHessianSource(), "the configured default auto stands for data-free with l2");
        assertTrue(accepted.getRequest().getRoundToKernels(), "by default kept counts are rounded to the kernels' steps");
        assertTrue(accepted.getNodes() > 10);
        awaitStatus(jobId, "ACCEPTED");

        String latency = upload(digitsModel(), "?name=fast.onnx&target=latency%3D0.5&latency-threads=1&latency-batch=8&round-to=4");
        PruningRequest asked = JobAccepted.parseFrom(TopicReader.await(Topics.JOBS_ACCEPTED, r -> TopicReader.keyIs(r, latency)).value())
                .getRequest();
        assertEquals("latency=0.5", asked.getTarget());
        assertEquals("auto", asked.getHessianSource(), "the configured default with the default criterion obspa");
        assertEquals(1, asked.getLatencyThreads());
        assertEquals(8, asked.getLatencyBatch());
        assertEquals(4, asked.getRoundTo());
        assertFalse(asked.getRoundToKernels(), "a multiple given replaces the kernels' steps");
        HttpResponse<String> bad = IngestClient.uploadResponse(ingest(), TEAM_A, HttpRequest.BodyPublishers.ofByteArray(digitsModel()),
                "?name=bad.onnx&round-to=banana");
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("round-to must be a whole number or 'kernels'"), bad.body());
    }

    /** The input shapes and best effort an upload states reach the job; a shape for an input the model lacks fails it with the reason. */
    @Test
    void statedInputShapesAndBestEffortReachTheJobAndAWrongInputNameFailsIt() throws Exception {
        String jobId = upload(digitsModel(), "?name=shaped.onnx&input-shape=input%3D1,1,8,8&best-effort=true");
        PruningRequest asked = JobAccepted.parseFrom(TopicReader.await(Topics.JOBS_ACCEPTED, r -> TopicReader.keyIs(r, jobId)).value())
                .getRequest();
        assertEquals(List.of("input=1,1,8,8"), asked.getInputShapeList());
        assertTrue(asked.getBestEffort());
        String wrong = upload(digitsModel(), "?name=wrong.onnx&input-shape=image%3D1,1,8,8");
        String status = awaitStatus(wrong, "FAILED");
        assertTrue(status.contains("BAD_REQUEST") && status.contains("image") && status.contains("which is not an input of the model"), status);
    }

    /** No token is 401, a token without the role 403, another tenant's job 404, as if it did not exist. */
    @Test
    void theApiAnswersOnlyItsTenantsWithTheirRoles() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "models?name=a.onnx"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(digitsModel())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, IngestClient.status(ingest(), "not-a-token", "whatever").statusCode());
        IllegalStateException readOnly = Assertions.assertThrows(IllegalStateException.class,
                () -> IngestClient.upload(ingest(), TEAM_A_READER, HttpRequest.BodyPublishers.ofByteArray(digitsModel()), "?name=r.onnx"));
        assertTrue(readOnly.getMessage().contains("403"), readOnly.getMessage());

        String jobId = upload(digitsModel(), "?name=mine.onnx&criterion=l1");
        awaitStatus(jobId, "ACCEPTED");
        assertEquals(200, IngestClient.status(ingest(), TEAM_A_READER, jobId).statusCode(), "the tenant's read-only token sees it");
        HttpResponse<String> other = IngestClient.status(ingest(), TEAM_B, jobId);
        assertEquals(404, other.statusCode(), other.body());
        assertEquals(IngestClient.status(ingest(), TEAM_B, "no-such-job").body().replace("no-such-job", jobId), other.body(),
                "another tenant's job answers exactly as a job that does not exist");
    }

    /** An access token from the OpenID Connect provider is a caller of its tenant with its roles, as a static token is. */
    @Test
    void aProviderTokenActsForItsTenantWithItsRoles() throws Exception {
        OidcIssuer idp = OidcIssuer.running;
        String teamC = idp.sign(idp.claims("team-c", List.of("submit", "read", "offline_access")));
        String jobId = IngestClient.upload(ingest(), teamC, HttpRequest.BodyPublishers.ofByteArray(digitsModel()), "?name=c.onnx&criterion=l1");
        awaitStatus(teamC, jobId, "ACCEPTED");
        assertEquals(404, IngestClient.status(ingest(), TEAM_A, jobId).statusCode(), "team-a does not see team-c's job");
        String reader = idp.sign(idp.claims("team-c", List.of("read")));
        assertEquals(200, IngestClient.status(ingest(), reader, jobId).statusCode());
        IllegalStateException readOnly = Assertions.assertThrows(IllegalStateException.class,
                () -> IngestClient.upload(ingest(), reader, HttpRequest.BodyPublishers.ofByteArray(new byte[]{1}), "?name=r.onnx"));
        assertTrue(readOnly.getMessage().contains("403"), readOnly.getMessage());
    }

    /** Expired, forged, another issuer's, another audience's, tenantless or unsigned tokens: 401 with the reason. */
    @Test
    void aProviderTokenThatDoesNotCheckOutIs401WithTheReason() throws Exception {
        OidcIssuer idp = OidcIssuer.running;
        JwtClaims expired = idp.claims("team-c", List.of("read"));
        expired.setExpirationTimeMinutesInTheFuture(-10);
        JwtClaims otherIssuer = idp.claims("team-c", List.of("read"));
        otherIssuer.setIssuer("https://idp.example.com/realms/spa");
        JwtClaims otherAudience = idp.claims("team-c", List.of("read"));
        otherAudience.setAudience("billing");
        JwtClaims tenantless = idp.claims("team-c", List.of("read"));
        tenantless.unsetClaim("tenant");
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(idp.claims("team-a", List.of("admin")).toJson().getBytes()) + ".";
        Map<String, String> cases = Map.of(
                idp.sign(expired), "expired",
                idp.signWithAnotherKey(idp.claims("team-a", List.of("admin"))), "signature does not verify",
                idp.sign(otherIssuer), "identity provider this service trusts",
                idp.sign(otherAudience), "audience",
                idp.sign(tenantless), "'tenant' claim",
                unsigned, "signature does not verify",
                "not.a.jwt", "not a valid signed JWT");
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = IngestClient.status(ingest(), c.getKey(), "any-job");
            assertEquals(401, r.statusCode(), c.getValue() + ": " + r.body());
            assertTrue(r.body().contains(c.getValue()), c.getValue() + ": " + r.body());
        }
    }

    /** A model the engine reads but no runtime would run (an operator ONNX does not have) is refused at ingest, not later. */
    @Test
    void aModelOnnxRuntimeRejectsIsInvalidAtIngest() throws Exception {
        Onnx.ValueInfoProto.Builder x = Onnx.ValueInfoProto.newBuilder().setName("x");
        x.getTypeBuilder().getTensorTypeBuilder().setElemType(1).getShapeBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(4));
        byte[] fancy = Onnx.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(Onnx.GraphProto.newBuilder().setName("fancy")
                        .addNode(Onnx.NodeProto.newBuilder().setOpType("FancyOp").setName("f").addInput("x").addOutput("y"))
                        .addInput(x).addOutput(x.clone().setName("y"))).build().toByteArray();
        String jobId = upload(fancy, "?name=fancy.onnx");
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, jobId)).value());
        assertEquals("INVALID_MODEL", failed.getErrorCode());
        assertTrue(failed.getMessage().contains("ONNX Runtime rejects the model") && failed.getMessage().contains("FancyOp"),
                failed.getMessage());
        assertFalse(failed.getMessage().contains("onnxruntime_src"), "no source paths of the runtime's build: " + failed.getMessage());
    }

    @Test
    void aCorruptModelFailsWithTheLoadersReason() throws Exception {
        String jobId = upload("definitely not a protobuf model".getBytes(StandardCharsets.UTF_8), "?name=broken.onnx");
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, jobId)).value());
        assertEquals("INVALID_MODEL", failed.getErrorCode());
        assertEquals("ingest", failed.getStage());
        assertTrue(failed.getMessage().contains("not a valid ONNX protobuf") || failed.getMessage().contains("no graph nodes"), failed.getMessage());
        String status = awaitStatus(jobId, "FAILED");
        assertTrue(status.contains("INVALID_MODEL"), status);
    }

    @Test
    void unparseableAndUnknownModelMessagesGoToTheDeadLetterTopicWithTheReason() throws Exception {
        TopicReader.send(Topics.MODELS_REGISTERED, "garbage-1", new byte[] {(byte) 0xff, 0x01, 0x02});
        ConsumerRecord<byte[], byte[]> dead = TopicReader.await(Topics.deadLetter(Topics.MODELS_REGISTERED), r -> TopicReader.keyIs(r, "garbage-1"));
        assertTrue(TopicReader.header(dead, "dead-letter-reason").contains("not a ModelRegistered protobuf"), TopicReader.header(dead, "dead-letter-reason"));

        ModelRegistered missing = ModelRegistered.newBuilder().setJobId("missing-1").setModelUri("s3://spa/models/nothing.onnx").build();
        TopicReader.send(Topics.MODELS_REGISTERED, "missing-1", missing.toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "missing-1")).value());
        assertEquals("MODEL_NOT_FOUND", failed.getErrorCode());
        ConsumerRecord<byte[], byte[]> deadMissing = TopicReader.await(Topics.deadLetter(Topics.MODELS_REGISTERED), r -> TopicReader.keyIs(r, "missing-1"));
        assertTrue(TopicReader.header(deadMissing, "dead-letter-reason").contains("no object at s3://spa/models/nothing.onnx"));

        ModelRegistered unknown = ModelRegistered.newBuilder().setJobId("bad-uri-1").setModelUri("ftp://elsewhere/model.onnx").build();
        TopicReader.send(Topics.MODELS_REGISTERED, "bad-uri-1", unknown.toByteArray());
        JobFailed badUri = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "bad-uri-1")).value());
        assertEquals("BAD_MODEL_URI", badUri.getErrorCode());
        ConsumerRecord<byte[], byte[]> deadUri = TopicReader.await(Topics.deadLetter(Topics.MODELS_REGISTERED), r -> TopicReader.keyIs(r, "bad-uri-1"));
        assertTrue(TopicReader.header(deadUri, "dead-letter-reason").contains("ftp://elsewhere/model.onnx"), TopicReader.header(deadUri, "dead-letter-reason"));
    }

    /** Another bucket, another job's objects, or calibration data elsewhere: refused before anything is read or copied. */
    @Test
    void addressesOutsideTheAllowListAreRefused() throws Exception {
        ObjectStore store = ObjectStore.connect(RealServersResource.s3.endpoint(), RealServersResource.s3.accessKey(), RealServersResource.s3.secretKey());
        store.ensureBucket("another-bucket");
        store.ensureBucket("registry");
        store.put(new S3Uri("another-bucket", "secret.onnx"), digitsModel(), "application/octet-stream");
        store.put(new S3Uri("registry", "ok/digits.onnx"), digitsModel(), "application/octet-stream");
        ModelRegistered elsewhere = ModelRegistered.newBuilder().setJobId("src-1").setModelUri("s3://another-bucket/secret.onnx").build();
        ModelRegistered otherJob = ModelRegistered.newBuilder().setJobId("src-2").setModelUri("s3://spa/jobs/src-0/model.onnx").build();
        ModelRegistered calibration = ModelRegistered.newBuilder().setJobId("src-3").setModelUri("s3://registry/ok/digits.onnx")
                .setRequest(PruningRequest.newBuilder().setHessianSource("calibration").setCalibrationUri("s3://another-bucket/secret.onnx"))
                .build();
        for (ModelRegistered event : List.of(elsewhere, otherJob, calibration)) {
            TopicReader.send(Topics.MODELS_REGISTERED, event.getJobId(), event.toByteArray());
            JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, event.getJobId())).value());
            assertEquals("SOURCE_NOT_ALLOWED", failed.getErrorCode(), failed.getMessage());
            assertTrue(failed.getMessage().contains("outside the addresses this platform may read"), failed.getMessage());
            assertFalse(store.exists(new JobKeys("spa", event.getJobId()).model()), "nothing copied for " + event.getJobId());
        }
    }

    /** The accepted job is kept for the later stages to check their input against; the upload, copied to the job, goes. */
    @Test
    void anAcceptedJobIsRecordedAndItsUploadRemoved() throws Exception {
        String jobId = upload(digitsModel(), "?name=..&criterion=l1");
        JobAccepted accepted = JobAccepted.parseFrom(TopicReader.await(Topics.JOBS_ACCEPTED, r -> TopicReader.keyIs(r, jobId)).value());
        ObjectStore store = ObjectStore.connect(RealServersResource.s3.endpoint(), RealServersResource.s3.accessKey(), RealServersResource.s3.secretKey());
        assertEquals(accepted, JobAccepted.parseFrom(store.get(new S3Uri("spa", "jobs/" + jobId + "/accepted.pb"))));
        awaitStatus(jobId, "ACCEPTED");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!store.list(new S3Uri("spa", "uploads/" + jobId + "/")).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(List.of(), store.list(new S3Uri("spa", "uploads/" + jobId + "/")));
        assertEquals("model.onnx", Uploads.fileName(".."), "a name of dots alone is not a file name");
    }

    /** uri= registers a model already in the store (how one with external data comes in); the address is checked first. */
    @Test
    void aStoredModelIsRegisteredByItsAddress() throws Exception {
        ObjectStore store = ObjectStore.connect(RealServersResource.s3.endpoint(), RealServersResource.s3.accessKey(), RealServersResource.s3.secretKey());
        store.ensureBucket("registry");
        store.put(new S3Uri("registry", "by-uri/digits.onnx"), digitsModel(), "application/octet-stream");
        String jobId = IngestClient.upload(ingest(), TEAM_A, HttpRequest.BodyPublishers.noBody(),
                "?uri=s3://registry/by-uri/digits.onnx&criterion=l1&target=macs%3D0.6");
        JobAccepted accepted = JobAccepted.parseFrom(TopicReader.await(Topics.JOBS_ACCEPTED, r -> TopicReader.keyIs(r, jobId)).value());
        assertEquals("l1", accepted.getRequest().getCriterion());
        assertTrue(store.exists(new S3Uri("registry", "by-uri/digits.onnx")), "the registered model stays where it is");

        HttpResponse<String> outside = IngestClient.uploadResponse(ingest(), TEAM_A, HttpRequest.BodyPublishers.noBody(), "?uri=s3://another-bucket/x.onnx");
        assertEquals(403, outside.statusCode(), outside.body());
        HttpResponse<String> upload = IngestClient.uploadResponse(ingest(), TEAM_A, HttpRequest.BodyPublishers.noBody(), "?uri=s3://spa/uploads/j/x.onnx");
        assertEquals(403, upload.statusCode(), upload.body());
        HttpResponse<String> both = IngestClient.uploadResponse(ingest(), TEAM_A, HttpRequest.BodyPublishers.ofByteArray(digitsModel()),
                "?uri=s3://registry/by-uri/digits.onnx");
        assertEquals(400, both.statusCode(), both.body());
    }

    @Test
    void uploadsOverTheLimitOrEmptyAreRefusedWithTheReason() throws Exception {
        HttpResponse<String> empty = http.send(HttpRequest.newBuilder(URI.create(base + "models?name=e.onnx"))
                .header("Authorization", "Bearer " + TEAM_A).header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, empty.statusCode(), empty.body());
        byte[] big = new byte[(int) setup.modelLimit() + 1];
        HttpResponse<String> tooBig = http.send(HttpRequest.newBuilder(URI.create(base + "models?name=big.onnx"))
                .header("Authorization", "Bearer " + TEAM_A).header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, tooBig.statusCode(), tooBig.body());
        assertTrue(tooBig.body().contains("over the limit"), tooBig.body());
    }

    @Test
    void aBucketNotificationForANewOnnxObjectStartsAJob() throws Exception {
        ObjectStore store = ObjectStore.connect(RealServersResource.s3.endpoint(), RealServersResource.s3.accessKey(), RealServersResource.s3.secretKey());
        store.ensureBucket("registry");
        store.put(new S3Uri("registry", "team a/digits.onnx"), digitsModel(), "application/octet-stream");
        String notification = "{\"EventName\":\"s3:ObjectCreated:Put\",\"Key\":\"registry/team%20a/digits.onnx\",\"Records\":[{"
                + "\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"registry\"},"
                + "\"object\":{\"key\":\"team+a%2Fdigits.onnx\",\"eTag\":\"abc123\",\"size\":1}}}]}";
        TopicReader.send(Topics.BUCKET_EVENTS, "registry/team a/digits.onnx", notification.getBytes(StandardCharsets.UTF_8));
        JobAccepted accepted = JobAccepted.parseFrom(TopicReader.await(Topics.JOBS_ACCEPTED,
                r -> TopicReader.keyIs(r, new String(r.key(), StandardCharsets.UTF_8)) && parse(r).getJobId().startsWith("obj-")).value());
        assertTrue(accepted.getModelUri().startsWith("s3://spa/jobs/obj-"), accepted.getModelUri());
        assertEquals("obspa", accepted.getRequest().getCriterion(), "bucket notifications use the configured policy");
    }

    private static JobAccepted parse(ConsumerRecord<byte[], byte[]> r) {
        try {
            return JobAccepted.parseFrom(r.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
