package dev.spa.scorer;

import com.google.protobuf.ByteString;
import dev.spa.events.GroupsReady;
import dev.spa.events.JobAccepted;
import dev.spa.events.JobFailed;
import dev.spa.events.PlanReady;
import dev.spa.events.PruningRequest;
import dev.spa.groups.Analysis;
import dev.spa.ir.ModelLoader;
import dev.spa.linalg.cuda.CudaProbe;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.onnx.Onnx;
import dev.spa.platform.AcceptedJobs;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.S3Uri;
import dev.spa.platform.Topics;
import dev.spa.surgery.UpdatedTensors;
import dev.spa.testkit.RealServersResource;
import dev.spa.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scorer stage on a real Kafka broker and a real S3 server. */
@QuarkusTest
@QuarkusTestResource(value = RealServersResource.class, restrictToAnnotatedClass = true)
class ScorerTest {
    private static ObjectStore store() {
        return ObjectStore.connect(RealServersResource.s3.endpoint(), RealServersResource.s3.accessKey(), RealServersResource.s3.secretKey());
    }

    /** The digits model stored as job {@code jobId}'s copy, and its grouping result with {@code request}. */
    private static GroupsReady digitsJob(String jobId, PruningRequest request) throws Exception {
        return job(jobId, "digits_mobilenet.onnx", request);
    }

    /** A shared model stored as job {@code jobId}'s copy, and its grouping result with {@code request}. */
    private static GroupsReady job(String jobId, String model, PruningRequest request) throws Exception {
        Path file = Path.of(System.getProperty("spa.shared.dir", "../../../shared"), "models", model);
        Assumptions.assumeTrue(Files.isRegularFile(file), "skipped: " + file + " is absent (the shared test models live beside the repository)");
        return job(jobId, Files.readAllBytes(file), request);
    }

    /** The model stored as job {@code jobId}'s copy and recorded as accepted, and its grouping result with {@code request}. */
    private static GroupsReady job(String jobId, byte[] model, PruningRequest request) {
        S3Uri uri = new S3Uri("spa", "jobs/" + jobId + "/model.onnx");
        store().put(uri, model, "application/octet-stream");
        int groups = Analysis.of(new ModelLoader().load(model, null, jobId)).groups().size();
        JobAccepted job = AcceptedJobs.record(store(), "spa", JobAccepted.newBuilder().setJobId(jobId).setModelUri(uri.toString())
                .setRequest(request).build());
        return GroupsReady.newBuilder().setJob(job).setGroups(groups).build();
    }

    @TestHTTPResource("/q/metrics")
    URI metrics;

    /** The kind that the default {@code auto} picks on this machine. */
    private static String expectedBackend() {
        return CudaProbe.result().available() ? "cuda" : "cpu";
    }

    @Test
    void theBackendInUseIsAMetric() throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        String other = expectedBackend().equals("cpu") ? "cuda" : "cpu";
        assertTrue(text.contains("spa_backend{kind=\"" + expectedBackend() + "\"} 1.0"), text);
        assertTrue(text.contains("spa_backend{kind=\"" + other + "\"} 0.0"), text);
    }

    @Test
    void obspaPlansTheTargetAndStoresTheTensorsItUpdated() throws Exception {
        PruningRequest request = PruningRequest.newBuilder().setCriterion("obspa").setTarget("macs=0.5").setGlobal(true)
                .setHessianSource("data-free").setInputMean(0.3).setInputStd(0.38).build();
        TopicReader.send(Topics.GROUPS, "s-1", digitsJob("s-1", request).toByteArray());
        PlanReady plan = PlanReady.parseFrom(TopicReader.await(Topics.PLANS, r -> TopicReader.keyIs(r, "s-1")).value());
        assertTrue(plan.getPlan().getGroupsCount() > 0, "some groups lose channels");
        assertEquals("obspa", plan.getPlan().getCriterion());
        assertEquals(expectedBackend(), plan.getBackend());
        assertEquals("s3://spa/jobs/s-1/updated-tensors.pb", plan.getUpdatedTensorsUri());
        assertFalse(UpdatedTensors.fromBytes(store().get(S3Uri.parse(plan.getUpdatedTensorsUri()))).isEmpty());
        assertTrue(plan.getMeanScoreRemoved() < plan.getMeanScoreKept(), "the channels removed score lower than those kept");
    }

    /**
     * A model that takes token ids (int64 ids indexing an embedding table, an int64 mask), with no data: the default
     * auto prunes it on synthetic token sequences among its candidates, and says so.
     */
    @Test
    void aModelOfTokenIdsIsPlannedOnSyntheticTokenSequences() throws Exception {
        PruningRequest request = PruningRequest.newBuilder().setCriterion("obspa").setTarget("macs=0.5").setGlobal(true)
                .setHessianSource("auto").build();
        TopicReader.send(Topics.GROUPS, "s-tokens", job("s-tokens", GraphBuilder.tokenModel().toBytes(), request).toByteArray());
        PlanReady plan = PlanReady.parseFrom(TopicReader.await(Topics.PLANS, r -> TopicReader.keyIs(r, "s-tokens")).value());
        assertTrue(plan.getPlan().getGroupsCount() > 0, "the hidden units lose channels");
        assertTrue(plan.getHessianSource().contains("token ids drawn uniformly from 50"), plan.getHessianSource());
    }

    /** An agreement target: the scorer searches, on the job's calibration samples, for the deepest cut that keeps 0.97. */
    @Test
    void anAgreementTargetPlansACutThatKeepsTheAgreement() throws Exception {
        Path calibration = Path.of(System.getProperty("spa.shared.dir", "../../../shared"), "data", "digits_calib_x.f32");
        Assumptions.assumeTrue(Files.isRegularFile(calibration), "skipped: " + calibration + " is absent");
        S3Uri stored = new S3Uri("spa", "calibration/digits_calib_x.f32");
        store().put(stored, Files.readAllBytes(calibration), "application/octet-stream");
        PruningRequest request = PruningRequest.newBuilder().setCriterion("obspa").setTarget("agreement=0.97").setGlobal(true)
                .setHessianSource("calibration").setCalibrationUri(stored.toString()).build();
        TopicReader.send(Topics.GROUPS, "s-3", digitsJob("s-3", request).toByteArray());
        PlanReady plan = PlanReady.parseFrom(TopicReader.await(Topics.PLANS, r -> TopicReader.keyIs(r, "s-3")).value());
        assertTrue(plan.getPlan().getGroupsCount() > 0, "the search found a cut that keeps the agreement");
        assertTrue(plan.getPlan().getTarget().startsWith("macs="), plan.getPlan().getTarget());
        double asked = Double.parseDouble(plan.getPlan().getTarget().substring("macs=".length()));
        assertTrue(asked < 1, "the plan's MACs target is below the whole model: " + asked);
    }

    /**
     * A latency target on SqueezeNet (1 thread, batch 1): the first job measures the latency model and stores it in the
     * bucket, the plan says what the search measured; a second job on the same model reads it from there; a target no
     * cut can reach fails the job with LATENCY_TARGET_UNREACHABLE and the fastest cut's measurement.
     */
    @Test
    void aLatencyTargetIsPlannedByMeasurementWithItsLatencyModelStoredForLaterJobs() throws Exception {
        PruningRequest request = PruningRequest.newBuilder().setCriterion("l2").setTarget("latency=0.6").setGlobal(true)
                .setLatencyThreads(1).setLatencyBatch(1).build();
        TopicReader.send(Topics.GROUPS, "s-lat-1", job("s-lat-1", "squeezenet1_1.onnx", request).toByteArray());
        // the first job times every layer's cuts and the whole model's: about a minute on a quiet 2-core machine, more on a busy one
        PlanReady plan = PlanReady.parseFrom(TopicReader.awaitAll(Topics.PLANS, r -> TopicReader.keyIs(r, "s-lat-1"), 1,
                Duration.ofMinutes(5)).get(0).value());
        assertTrue(plan.getPlan().getGroupsCount() > 0, "some groups lose channels");
        assertTrue(plan.getLatencySearch().contains("measured now") && plan.getLatencySearch().contains("latency target 0.60 met"),
                plan.getLatencySearch());
        assertTrue(plan.getLatencySearch().contains("1 intra-op thread, batch 1"), "the runtime is stated: " + plan.getLatencySearch());
        assertEquals(1, store().list(new S3Uri("spa", "latency-models/")).size(), "the latency model is stored in the bucket");

        TopicReader.send(Topics.GROUPS, "s-lat-2", job("s-lat-2", "squeezenet1_1.onnx", request).toByteArray());
        PlanReady again = PlanReady.parseFrom(TopicReader.await(Topics.PLANS, r -> TopicReader.keyIs(r, "s-lat-2")).value());
        assertTrue(again.getLatencySearch().contains("from the cache"), again.getLatencySearch());

        PruningRequest impossible = request.toBuilder().setTarget("latency=0.02").build();
        TopicReader.send(Topics.GROUPS, "s-lat-3", job("s-lat-3", "squeezenet1_1.onnx", impossible).toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "s-lat-3")).value());
        assertEquals("LATENCY_TARGET_UNREACHABLE", failed.getErrorCode());
        assertTrue(failed.getMessage().contains("the fastest cut measured pruned/original latency"), failed.getMessage());
    }

    /** A MACs target below what the floors allow fails with TARGET_UNREACHABLE and the share reached; best_effort plans the closest cut. */
    @Test
    void anUnreachableTargetFailsTheJobUnlessTheRequestAsksForBestEffort() throws Exception {
        PruningRequest request = PruningRequest.newBuilder().setCriterion("l2").setTarget("macs=0.01").setGlobal(true).build();
        TopicReader.send(Topics.GROUPS, "s-far", digitsJob("s-far", request).toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "s-far")).value());
        assertEquals("TARGET_UNREACHABLE", failed.getErrorCode());
        assertTrue(failed.getMessage().contains("the target macs=0.01 was not reached") && failed.getMessage().contains("% kept"),
                failed.getMessage());

        TopicReader.send(Topics.GROUPS, "s-closest", digitsJob("s-closest", request.toBuilder().setBestEffort(true).build()).toByteArray());
        PlanReady plan = PlanReady.parseFrom(TopicReader.await(Topics.PLANS, r -> TopicReader.keyIs(r, "s-closest")).value());
        assertTrue(plan.getPlan().getGroupsCount() > 0, "the closest cut is planned");
    }

    @Test
    void aRequestTheEngineCannotFollowFailsTheJobWithTheReason() throws Exception {
        PruningRequest request = PruningRequest.newBuilder().setCriterion("magic").setTarget("macs=0.5").build();
        TopicReader.send(Topics.GROUPS, "s-2", digitsJob("s-2", request).toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "s-2")).value());
        assertEquals("BAD_REQUEST", failed.getErrorCode());
        assertEquals("scorer", failed.getStage());
        assertTrue(failed.getMessage().contains("criterion 'magic' is unknown"), failed.getMessage());
    }

    /**
     * OBSPA on ResNet-18 takes minutes here; with a deadline of 2 s it fails with DEADLINE_EXCEEDED, its work is
     * interrupted, and the next job is planned.
     */
    @Test
    void aJobPastItsDeadlineFailsWithTheReasonAndTheNextJobIsPlanned() throws Exception {
        PruningRequest slow = PruningRequest.newBuilder().setCriterion("obspa").setTarget("macs=0.5").setHessianSource("data-free")
                .setDeadlineSeconds(2).build();
        TopicReader.send(Topics.GROUPS, "s-slow", job("s-slow", "resnet18.onnx", slow).toByteArray());
        TopicReader.send(Topics.GROUPS, "s-next", digitsJob("s-next", PruningRequest.newBuilder().setCriterion("l2")
                .setTarget("macs=0.5").build()).toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "s-slow")).value());
        assertEquals("DEADLINE_EXCEEDED", failed.getErrorCode());
        assertTrue(failed.getMessage().contains("deadline of 2 s"), failed.getMessage());
        PlanReady next = PlanReady.parseFrom(TopicReader.await(Topics.PLANS, r -> TopicReader.keyIs(r, "s-next")).value());
        assertTrue(next.getPlan().getGroupsCount() > 0);
    }

    /** x[1,2] -> MatMul(W1 [2, n]) -> Relu -> MatMul(W2 [n, 2]) -> y: one prunable group of n channels, OBSPA state 8 n² bytes. */
    private static byte[] wideMlp(int n) {
        BiFunction<String, long[], Onnx.TensorProto> weight = (name, dims) -> {
            ByteBuffer b = ByteBuffer.allocate((int) (dims[0] * dims[1] * 4)).order(ByteOrder.LITTLE_ENDIAN);
            Random random = new Random(name.hashCode());
            while (b.hasRemaining()) {
                b.putFloat((float) random.nextGaussian());
            }
            return Onnx.TensorProto.newBuilder().setName(name).setDataType(1).addDims(dims[0]).addDims(dims[1])
                    .setRawData(ByteString.copyFrom(b.array())).build();
        };
        Function<String, Onnx.ValueInfoProto> value = name -> {
            Onnx.ValueInfoProto.Builder v = Onnx.ValueInfoProto.newBuilder().setName(name);
            v.getTypeBuilder().getTensorTypeBuilder().setElemType(1).getShapeBuilder()
                    .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                    .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(2));
            return v.build();
        };
        Onnx.GraphProto graph = Onnx.GraphProto.newBuilder().setName("wide")
                .addInput(value.apply("x")).addOutput(value.apply("y"))
                .addInitializer(weight.apply("W1", new long[] {2, n})).addInitializer(weight.apply("W2", new long[] {n, 2}))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("MatMul").setName("m1").addInput("x").addInput("W1").addOutput("h"))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").setName("r").addInput("h").addOutput("a"))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("MatMul").setName("m2").addInput("a").addInput("W2").addOutput("y"))
                .build();
        return Onnx.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(graph).build().toByteArray();
    }

    /** A layer of n inputs takes about 20 n² bytes of OBSPA state at its peak: past the scorer's share of its heap the job fails with the numbers, at once. */
    @Test
    void aJobWhoseObspaStateWouldNotFitFailsWithTheNumbers() throws Exception {
        int n = (int) Math.sqrt(0.6 * Runtime.getRuntime().maxMemory() / 8) + 2000;
        PruningRequest obspa = PruningRequest.newBuilder().setCriterion("obspa").setTarget("macs=0.5").build();
        TopicReader.send(Topics.GROUPS, "s-huge", job("s-huge", wideMlp(n), obspa).toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "s-huge")).value());
        assertEquals("MEMORY_BUDGET_EXCEEDED", failed.getErrorCode());
        assertTrue(failed.getMessage().contains("OBSPA (its Hessians and inverses) on this") && failed.getMessage().contains("over this stage's budget"),
                failed.getMessage());
    }

    /** A job the scorer already started three times without finishing (it died each time) is not tried a fourth time. */
    @Test
    void aJobStartedTooOftenWithoutFinishingGoesToTheDeadLetterTopic() throws Exception {
        S3Uri attempts = new S3Uri("spa", "attempts/scorer/s-poison");
        store().put(attempts, "3".getBytes(StandardCharsets.US_ASCII), "text/plain");
        TopicReader.send(Topics.GROUPS, "s-poison", digitsJob("s-poison", PruningRequest.newBuilder().setCriterion("l2").build()).toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "s-poison")).value());
        assertEquals("ATTEMPTS_EXHAUSTED", failed.getErrorCode());
        assertTrue(failed.getMessage().contains("started this job 3 times"), failed.getMessage());
        ConsumerRecord<byte[], byte[]> dead = TopicReader.await(Topics.deadLetter(Topics.GROUPS), r -> TopicReader.keyIs(r, "s-poison"));
        assertTrue(TopicReader.header(dead, "dead-letter-reason").contains("never finished it"));
        assertFalse(store().exists(attempts), "the count is cleared once the job has left the stage");
    }

    @Test
    void unparseableAndMissingModelMessagesGoToTheDeadLetterTopicWithTheReason() throws Exception {
        TopicReader.send(Topics.GROUPS, "s-garbage", new byte[] {(byte) 0xff, 0x01});
        ConsumerRecord<byte[], byte[]> dead = TopicReader.await(Topics.deadLetter(Topics.GROUPS), r -> TopicReader.keyIs(r, "s-garbage"));
        assertTrue(TopicReader.header(dead, "dead-letter-reason").contains("not a GroupsReady protobuf"));

        GroupsReady missing = GroupsReady.newBuilder().setJob(AcceptedJobs.record(store(), "spa", JobAccepted.newBuilder()
                .setJobId("s-missing").setModelUri("s3://spa/jobs/s-missing/model.onnx").build())).build();
        TopicReader.send(Topics.GROUPS, "s-missing", missing.toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "s-missing")).value());
        assertEquals("MODEL_NOT_FOUND", failed.getErrorCode());
        ConsumerRecord<byte[], byte[]> deadMissing = TopicReader.await(Topics.deadLetter(Topics.GROUPS), r -> TopicReader.keyIs(r, "s-missing"));
        assertTrue(TopicReader.header(deadMissing, "dead-letter-reason").contains("no object at s3://spa/jobs/s-missing/model.onnx"));
    }
}
