package dev.spa.grouping;

import dev.spa.events.GroupsReady;
import dev.spa.events.JobAccepted;
import dev.spa.events.JobFailed;
import dev.spa.events.manifest.GroupManifest;
import dev.spa.onnx.Onnx;
import dev.spa.platform.AcceptedJobs;
import dev.spa.platform.MemoryBudget;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.S3Uri;
import dev.spa.platform.Topics;
import dev.spa.testkit.RealServersResource;
import dev.spa.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grouping stage on a real Kafka broker and a real S3 server. */
@QuarkusTest
@QuarkusTestResource(value = RealServersResource.class, restrictToAnnotatedClass = true)
class GroupingTest {
    private static ObjectStore store() {
        return ObjectStore.connect(RealServersResource.s3.endpoint(), RealServersResource.s3.accessKey(), RealServersResource.s3.secretKey());
    }

    /** A job as ingest accepts it: recorded as accepted, so the stage takes it. */
    private static JobAccepted accepted(String jobId, String modelUri) {
        return AcceptedJobs.record(store(), "spa", JobAccepted.newBuilder().setJobId(jobId).setModelUri(modelUri).build());
    }

    @Test
    void anAcceptedModelGetsItsManifestInlineAndInTheStore() throws Exception {
        digitsIsGrouped("g-1");
    }

    private static void digitsIsGrouped(String job) throws Exception {
        Path file = Path.of(System.getProperty("spa.shared.dir", "../../../shared"), "models", "digits_mobilenet.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(file), "skipped: " + file + " is absent (the shared test models live beside the repository)");
        S3Uri uri = new S3Uri("spa", "jobs/" + job + "/model.onnx");
        store().put(uri, Files.readAllBytes(file), "application/octet-stream");
        TopicReader.send(Topics.JOBS_ACCEPTED, job, accepted(job, uri.toString()).toByteArray());

        GroupsReady ready = GroupsReady.parseFrom(TopicReader.await(Topics.GROUPS, r -> TopicReader.keyIs(r, job)).value());
        assertEquals(job, ready.getJob().getJobId());
        assertTrue(ready.getPrunableGroups() > 3, "digits has several prunable groups: " + ready.getPrunableGroups());
        assertEquals(ready.getGroups(), ready.getInline().getGroupsCount());
        GroupManifest stored = GroupManifest.parseFrom(store().get(new S3Uri("spa", "jobs/" + job + "/manifest.pb")));
        assertArrayEquals(ready.getInline().toByteArray(), stored.toByteArray());
    }

    @jakarta.inject.Inject
    MemoryBudget memory;

    /** A model that would not fit the stage's share of its heap fails at once, from its size alone, and the next job goes on. */
    @Test
    void aModelOverTheMemoryBudgetFailsWithTheNumbersBeforeItIsRead() throws Exception {
        int size = (int) ((memory.bytes() - (16L << 20)) / MemoryBudget.MODEL_COPIES + (1 << 20));
        S3Uri uri = new S3Uri("spa", "jobs/g-fat/model.onnx");
        store().put(uri, new byte[size], "application/octet-stream");
        TopicReader.send(Topics.JOBS_ACCEPTED, "g-fat", accepted("g-fat", uri.toString()).toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "g-fat")).value());
        assertEquals("MEMORY_BUDGET_EXCEEDED", failed.getErrorCode());
        assertTrue(failed.getMessage().contains("over this stage's budget") && failed.getMessage().contains("model (4x its size)"), failed.getMessage());
        digitsIsGrouped("g-after-fat");
    }

    @Test
    void aModelWithNothingPrunableFailsWithTheReasons() throws Exception {
        // one Relu from input to output: no channel can go without changing the model's interface
        Onnx.ModelProto relu = Onnx.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(Onnx.GraphProto.newBuilder().setName("relu")
                        .addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y"))
                        .addInput(value("x")).addOutput(value("y"))).build();
        S3Uri uri = new S3Uri("spa", "jobs/g-2/model.onnx");
        store().put(uri, relu.toByteArray(), "application/octet-stream");
        TopicReader.send(Topics.JOBS_ACCEPTED, "g-2", accepted("g-2", uri.toString()).toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "g-2")).value());
        assertEquals("NOTHING_TO_PRUNE", failed.getErrorCode());
        assertEquals("grouping", failed.getStage());
        assertTrue(failed.getMessage().contains("no group of"), failed.getMessage());
    }

    @Test
    void unparseableAndMissingModelMessagesGoToTheDeadLetterTopicWithTheReason() throws Exception {
        TopicReader.send(Topics.JOBS_ACCEPTED, "g-garbage", new byte[] {(byte) 0xff, 0x01});
        ConsumerRecord<byte[], byte[]> dead = TopicReader.await(Topics.deadLetter(Topics.JOBS_ACCEPTED), r -> TopicReader.keyIs(r, "g-garbage"));
        assertTrue(TopicReader.header(dead, "dead-letter-reason").contains("not a JobAccepted protobuf"));

        TopicReader.send(Topics.JOBS_ACCEPTED, "g-missing", accepted("g-missing", "s3://spa/jobs/g-missing/model.onnx").toByteArray());
        JobFailed failed = JobFailed.parseFrom(TopicReader.await(Topics.JOBS_FAILED, r -> TopicReader.keyIs(r, "g-missing")).value());
        assertEquals("MODEL_NOT_FOUND", failed.getErrorCode());
        ConsumerRecord<byte[], byte[]> deadMissing = TopicReader.await(Topics.deadLetter(Topics.JOBS_ACCEPTED), r -> TopicReader.keyIs(r, "g-missing"));
        assertTrue(TopicReader.header(deadMissing, "dead-letter-reason").contains("no object at s3://spa/jobs/g-missing/model.onnx"),
                TopicReader.header(deadMissing, "dead-letter-reason"));
    }

    private static Onnx.ValueInfoProto value(String name) {
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(Onnx.TensorShapeProto.newBuilder()
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(4))))).build();
    }
}
