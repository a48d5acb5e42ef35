package dev.spa.exporter;

import dev.spa.cost.PlanCost;
import dev.spa.events.JobAccepted;
import dev.spa.events.JobFailed;
import dev.spa.events.ModelPruned;
import dev.spa.events.PlanReady;
import dev.spa.events.PruningRequest;
import dev.spa.events.manifest.GroupPlan;
import dev.spa.events.manifest.PlanRecord;
import dev.spa.groups.Analysis;
import dev.spa.ir.ModelLoader;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.platform.AcceptedJobs;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.S3Uri;
import dev.spa.platform.Topics;
import dev.spa.policy.BuiltPolicy;
import dev.spa.policy.Compute;
import dev.spa.policy.CriterionKind;
import dev.spa.policy.PruningPolicy;
import dev.spa.pruning.Pruner;
import dev.spa.select.SelectionOptions;
import dev.spa.select.Target;
import dev.spa.surgery.UpdatedTensors;
import dev.spa.testkit.RealServersResource;
import dev.spa.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exporter stage on a real Kafka broker and a real S3 server, with the plan made by the engine in the test. */
@QuarkusTest
@QuarkusTestResource(value = RealServersResource.class, restrictToAnnotatedClass = true)
class ExporterTest {
    private static ObjectStore store() {
        return ObjectStore.connect(RealServersResource.s3.endpoint(), RealServersResource.s3.accessKey(), RealServersResource.s3.secretKey());
    }

    private static Path digits() {
        Path file = Path.of(System.getProperty("spa.shared.dir", "../../../shared"), "models", "digits_mobilenet.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(file), "skipped: " + file + " is absent (the shared test models live beside the repository)");
        return file;
    }

    private static JobAccepted storedJob(String jobId) throws Exception {
        return storedJob(jobId, PruningRequest.newBuilder().setTarget("macs=0.5").setInputMean(0.3).setInputStd(0.38).build());
    }

    private static JobAccepted storedJob(String jobId, PruningRequest request) throws Exception {
        return storedJob(jobId, request, Files.readAllBytes(digits()));
    }

    private static JobAccepted storedJob(String jobId, PruningRequest request, byte[] bytes) {
        S3Uri uri = new S3Uri("spa", "jobs/" + jobId + "/model.onnx");
        store().put(uri, bytes, "application/octet-stream");
        return AcceptedJobs.record(store(), "spa", JobAccepted.newBuilder().setJobId(jobId).setModelUri(uri.toString())
                .setModelBytes(bytes.length).setRequest(request).setRegisteredAtMs(System.currentTimeMillis()).build());
    }

    @Test
    void aPlanWithStoredTensorsBecomesAVerifiedPrunedModelPlanAndReport() throws Exception {
        JobAccepted job = storedJob("e-1");
        Analysis analysis = Analysis.of(new ModelLoader().load(digits()));
        SelectionOptions selection = new SelectionOptions(Target.parse("macs=0.5"), true, 1, 1, Set.of());
        BuiltPolicy parts = BuiltPolicy.build(PruningPolicy.builder(CriterionKind.OBSPA, selection).inputStatistics(0.3, 0.38).build(), analysis, Compute.cpu(), s -> { });
        Pruner.Planned planned = new Pruner(s -> { }).plan("digits", analysis, parts.scorer(), selection);
        S3Uri tensors = new S3Uri("spa", "jobs/e-1/updated-tensors.pb");
        store().put(tensors, UpdatedTensors.toBytes(UpdatedTensors.of(analysis, planned.plan(), parts.update())), "application/x-protobuf");
        PlanReady plan = PlanReady.newBuilder().setJob(job).setPlan(planned.record()).setUpdatedTensorsUri(tensors.toString()).build();
        TopicReader.send(Topics.PLANS, "e-1", plan.toByteArray());

        ModelPruned done = ModelPruned.parseFrom(TopicReader.await(Topics.MODELS_PRUNED, r -> TopicReader.keyIs(r, "e-1")).value());
        assertEquals("s3://spa/jobs/e-1/pruned.onnx", done.getPrunedModelUri());
        assertTrue(done.getAfter().getMacs() <= 0.5 * done.getBefore().getMacs(), done.getAfter().getMacs() + " of " + done.getBefore().getMacs());
        assertTrue(done.getAfter().getFileBytes() < done.getBefore().getFileBytes());
        assertTrue(done.getBefore().getLatencyMsBatch1() > 0 && done.getAfter().getLatencyMsBatch1() > 0);
        // the report always carries how the two models were timed, interleaved, and the ratio's spread
        assertEquals("ONNX Runtime CPU, 2 intra-op threads, batch 1, 5 warm-up runs, 21 interleaved rounds", done.getTiming().getMethod());
        assertTrue(done.getTiming().getRatioLow() <= done.getTiming().getRatio() && done.getTiming().getRatio() <= done.getTiming().getRatioHigh(),
                done.getTiming().toString());
        assertEquals(done.getTiming().getRatio() > 1, done.getTiming().getSlower());
        byte[] pruned = store().get(S3Uri.parse(done.getPrunedModelUri()));
        assertEquals(done.getAfter().getFileBytes(), pruned.length);
        assertEquals(done.getAfter().getMacs(), new PlanCost(Analysis.of(new ModelLoader().load(pruned, null, "pruned"))).original().macs(),
                "the stored model has the MACs the event promises");
        String report = new String(store().get(S3Uri.parse(done.getReportUri())), StandardCharsets.UTF_8);
        assertTrue(report.contains("\"outputDeviation\"") && report.contains("ONNX Runtime") && report.contains("\"timing\""), report);
        assertEquals("top-1 agreement", done.getAgreement().getMeasure());
        assertTrue(done.getAgreement().getScore() >= done.getAgreement().getFloor(), done.getAgreement().toString());
        assertTrue(done.getAgreement().getReference().contains("synthetic") && done.getAgreement().getReference().contains("stated"),
                done.getAgreement().getReference());
        assertTrue(report.contains("\"inputStatistics\"") && report.contains("0.3000") && report.contains("(stated)"), report);
        assertTrue(new String(store().get(S3Uri.parse(done.getPlanUri())), StandardCharsets.UTF_8).contains("\"kept\""));
    }

    /** A model of token ids (int64 ids and mask) is cut, checked and guarded on synthetic token sequences. */
    @Test
    void aModelOfTokenIdsIsExportedAndGuardedOnSyntheticTokenSequences() throws Exception {
        byte[] bytes = GraphBuilder.tokenModel().toBytes();
        JobAccepted job = storedJob("e-tokens", PruningRequest.newBuilder().setTarget("macs=0.5").setCriterion("l2").build(), bytes);
        Analysis analysis = Analysis.of(new ModelLoader().load(bytes, null, "tokens"));
        SelectionOptions selection = new SelectionOptions(Target.parse("macs=0.5"), true, 1, 1, Set.of());
        BuiltPolicy parts = BuiltPolicy.build(PruningPolicy.of(CriterionKind.L2, selection), analysis, Compute.cpu(), s -> { });
        Pruner.Planned planned = new Pruner(s -> { }).plan("tokens", analysis, parts.scorer(), selection);
        TopicReader.send(Topics.PLANS, "e-tokens", PlanReady.newBuilder().setJob(job).setPlan(planned.record()).build().toByteArray());

        ModelPruned done = ModelPruned.parseFrom(TopicReader.await(Topics.MODELS_PRUNED, r -> TopicReader.keyIs(r, "e-tokens")).value());
        assertTrue(done.getAfter().getMacs() < done.getBefore().getMacs(), done.toString());
        assertTrue(done.getAgreement().getReference().contains("synthetic token sequences"), done.getAgreement().getReference());
        String report = new String(store().get(S3Uri.parse(done.getReportUri())), StandardCharsets.UTF_8);
        assertTrue(report.contains("none used (the model takes no float input)"), "no input statistics for token ids: " + report);
    }

    /** L2 with no update at a quarter of the MACs collapses the digits model; a floor of 0.9 refuses it and nothing is written. */
    @Test
    void aJobBelowItsQualityFloorFailsWithTheNumbersAndPublishesNothing() throws Exception {
        JobAccepted job = storedJob("e-3", PruningRequest.newBuilder().setTarget("macs=0.25").setCriterion("l2")
                .setInputMean(0.3).setInputStd(0.38).setQualityFloor(0.9).build());
        Analysis analysis = Analysis.of(new ModelLoader().load(digits()));
        SelectionOptions selection = new SelectionOptions(Target.parse("macs=0.25"), true, 1, 1, Set.of());
        BuiltPolicy parts = BuiltPolicy.build(PruningPolicy.of(CriterionKind.L2, selection), analysis, Compute.cpu(), s -> { });
        Pruner.Planned planned = new Pruner(s -> { }).plan("digits", analysis, parts.scorer(), selection);
        TopicReader.send(Topics.PLANS, "e-3", PlanReady.newBuilder().setJob(job).setPlan(planned.record()).build().toByteArray());

        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "e-3")).value());
        assertEquals("QUALITY_BELOW_FLOOR", failed.getErrorCode());
        assertEquals("exporter", failed.getStage());
        assertTrue(failed.getMessage().contains("top-1 agreement") && failed.getMessage().contains("below the floor 0.900"),
                failed.getMessage());
        for (String key : new String[] {"pruned.onnx", "plan.json", "report.json"}) {
            assertFalse(store().exists(new S3Uri("spa", "jobs/e-3/" + key)), key + " was published");
        }
    }

    /** An L2 plan of the digits model to the MACs target, as the scorer would send it. */
    private static PlanReady l2Plan(JobAccepted job, String target) {
        Analysis analysis = Analysis.of(new ModelLoader().load(digits()));
        SelectionOptions selection = new SelectionOptions(Target.parse(target), true, 1, 1, Set.of());
        BuiltPolicy parts = BuiltPolicy.build(PruningPolicy.of(CriterionKind.L2, selection), analysis, Compute.cpu(), s -> { });
        return PlanReady.newBuilder().setJob(job).setPlan(new Pruner(s -> { }).plan("digits", analysis, parts.scorer(), selection).record())
                .build();
    }

    /**
     * A finished job's artefacts are written once: another plan for it (a replay, or forged) announces the stored result again.
     * The job states its runtime (1 thread, batch 4): the timing is taken there, and the scorer's search is in the report.
     */
    @Test
    void aPlanForAFinishedJobWritesNothing() throws Exception {
        JobAccepted job = storedJob("e-4", PruningRequest.newBuilder().setTarget("macs=0.6").setCriterion("l2").setQualityFloor(0)
                .setLatencyThreads(1).setLatencyBatch(4).build());
        TopicReader.send(Topics.PLANS, "e-4", l2Plan(job, "macs=0.6").toBuilder().setLatencySearch("what the scorer measured").build()
                .toByteArray());
        ModelPruned first = ModelPruned.parseFrom(TopicReader.await(Topics.MODELS_PRUNED, r -> TopicReader.keyIs(r, "e-4")).value());
        assertTrue(first.getTiming().getMethod().startsWith("ONNX Runtime CPU, 1 intra-op thread, batch 4,"), first.getTiming().getMethod());
        byte[] model = store().get(S3Uri.parse(first.getPrunedModelUri()));
        byte[] report = store().get(S3Uri.parse(first.getReportUri()));
        assertTrue(new String(report, StandardCharsets.UTF_8).contains("\"latencySearch\": \"what the scorer measured\""));

        TopicReader.send(Topics.PLANS, "e-4", l2Plan(job, "macs=0.3").toByteArray());
        List<ConsumerRecord<byte[], byte[]>> both = TopicReader.awaitAll(Topics.MODELS_PRUNED, r -> TopicReader.keyIs(r, "e-4"), 2,
                Duration.ofMinutes(1));
        assertEquals(first, ModelPruned.parseFrom(both.get(1).value()), "the stored result, announced again");
        assertArrayEquals(model, store().get(S3Uri.parse(first.getPrunedModelUri())), "the pruned model is not rewritten");
        assertArrayEquals(report, store().get(S3Uri.parse(first.getReportUri())), "the report is not rewritten");
    }

    /** Only jobs ingest accepted are exported: a plan for another job, or for an altered one, is refused and changes nothing. */
    @Test
    void plansForJobsIngestNeverAcceptedAreRefused() throws Exception {
        JobAccepted job = storedJob("e-5");
        JobAccepted altered = job.toBuilder().setModelUri("s3://another-bucket/secret.onnx").build();
        TopicReader.send(Topics.PLANS, "e-5", l2Plan(altered, "macs=0.5").toByteArray());
        ConsumerRecord<byte[], byte[]> dead = TopicReader.await(Topics.deadLetter(Topics.PLANS), r -> TopicReader.keyIs(r, "e-5"));
        assertTrue(TopicReader.header(dead, "dead-letter-reason").contains("differs from the one ingest accepted"),
                TopicReader.header(dead, "dead-letter-reason"));

        JobAccepted never = job.toBuilder().setJobId("e-never").build();
        TopicReader.send(Topics.PLANS, "e-never", l2Plan(never, "macs=0.5").toByteArray());
        ConsumerRecord<byte[], byte[]> deadNever = TopicReader.await(Topics.deadLetter(Topics.PLANS), r -> TopicReader.keyIs(r, "e-never"));
        assertTrue(TopicReader.header(deadNever, "dead-letter-reason").contains("ingest never accepted a job 'e-never'"));
        for (String id : new String[] {"e-5", "e-never"}) {
            assertFalse(store().exists(new S3Uri("spa", "jobs/" + id + "/pruned.onnx")), id);
        }
        assertThrows(AssertionError.class, () -> TopicReader.awaitAll(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "e-5")
                || TopicReader.keyIs(r, "e-never"), 1, Duration.ofSeconds(5)), "a refused event fails no job");
    }

    @Test
    void aPlanForAnotherModelFailsTheJobAndGarbageIsDeadLettered() throws Exception {
        JobAccepted job = storedJob("e-2");
        PlanRecord wrong = PlanRecord.newBuilder().addGroups(GroupPlan.newBuilder().setId(9999).setChannels(3).addKept(0)).build();
        TopicReader.send(Topics.PLANS, "e-2", PlanReady.newBuilder().setJob(job).setPlan(wrong).build().toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "e-2")).value());
        assertEquals("SURGERY_FAILED", failed.getErrorCode());
        assertTrue(failed.getMessage().contains("group 9999"), failed.getMessage());

        TopicReader.send(Topics.PLANS, "e-garbage", new byte[] {(byte) 0xff, 0x01});
        ConsumerRecord<byte[], byte[]> dead = TopicReader.await(Topics.deadLetter(Topics.PLANS), r -> TopicReader.keyIs(r, "e-garbage"));
        assertTrue(TopicReader.header(dead, "dead-letter-reason").contains("not a PlanReady protobuf"));
    }
}
