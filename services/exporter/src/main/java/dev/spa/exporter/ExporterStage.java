package dev.spa.exporter;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.spa.SpaException;
import dev.spa.cost.PlanCost;
import dev.spa.events.Cost;
import dev.spa.events.JobAccepted;
import dev.spa.events.JobReport;
import dev.spa.events.JobStatus;
import dev.spa.events.ModelPruned;
import dev.spa.events.PlanReady;
import dev.spa.events.StageTimings;
import dev.spa.events.Timing;
import dev.spa.groups.Analysis;
import dev.spa.ir.InputShapes;
import dev.spa.ir.Model;
import dev.spa.ir.ModelFiles;
import dev.spa.manifest.ManifestWriter;
import dev.spa.plan.PruningPlan;
import dev.spa.platform.EventSender;
import dev.spa.platform.JobKeys;
import dev.spa.platform.JobModels;
import dev.spa.platform.JobRef;
import dev.spa.platform.JobRejected;
import dev.spa.platform.JobStage;
import dev.spa.platform.MemoryBudget;
import dev.spa.platform.MessageRefused;
import dev.spa.platform.ModelUpload;
import dev.spa.platform.ObjectNotFoundException;
import dev.spa.platform.Requests;
import dev.spa.platform.S3Uri;
import dev.spa.platform.StoredModel;
import dev.spa.runtime.LatencyComparison;
import dev.spa.surgery.Surgery;
import dev.spa.surgery.UpdatedTensors;
import dev.spa.surgery.WeightUpdate;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * spa.plans → spa.models.pruned: cuts the model by the plan with the scorer's updated tensors, checks
 * the result in ONNX Runtime, and writes {@code pruned.onnx}, {@code plan.json} and {@code report.json}
 * under {@code jobs/<id>/} before announcing it.
 */
@ApplicationScoped
public class ExporterStage extends JobStage<PlanReady> {
    public ExporterStage() {
        super("exporter", "PlanReady", PlanReady::parseFrom, PlanReady::getJob);
    }

    @Inject
    MemoryBudget memory;

    /** Whether a pruned model measured (and trusted) slower than its original fails the job when the request does not say. */
    @ConfigProperty(name = "spa.exporter.fail-if-slower", defaultValue = "false")
    boolean failIfSlower;

    @Inject
    MeterRegistry metrics;

    @Inject
    QualityGuard guard;

    @Inject
    @Channel("pruned")
    Emitter<byte[]> pruned;

    @Incoming("plans")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return run(message);
    }

    @Override
    public CompletionStage<Void> process(PlanReady planned) {
        long started = System.currentTimeMillis();
        JobAccepted job = planned.getJob();
        // the engine's copies, and a serialised copy for each ONNX Runtime session of the quality checks beside them
        memory.requireModel(store, job, MemoryBudget.MODEL_COPIES + 2);
        try (StoredModel stored = StoredModel.fetch(store, job.getModelUri(), Long.MAX_VALUE)) {
            return export(planned, stored, started);
        }
    }

    private CompletionStage<Void> export(PlanReady planned, StoredModel stored, long started) {
        JobAccepted job = planned.getJob();
        Model original = stored.load();
        Analysis analysis = JobModels.analyse(Requests.asStated(original, job.getRequest()));
        PruningPlan plan = plan(planned, analysis);
        Model cut = cut(analysis, plan, planned);
        InputShapes stated = Requests.inputShapes(job.getRequest());
        // published with the original's own input declarations; checked and timed at the stated shapes
        ModelFiles prunedFiles = PrunedFiles.write(stated.handedBack(cut, original), stored);
        RuntimeCheck check = RuntimeCheck.run(stored.file(), prunedFiles.model(), Requests.latencyRuntime(job.getRequest()), stated);
        SlowerModelPolicy.apply(check.latency(), job.getRequest(), failIfSlower);
        Evaluation accuracy = Evaluation.of(store, job.getRequest(), analysis.model(), cut);
        QualityGuard.Checked quality = guard.check(store, job.getRequest(), analysis, cut);

        PlanCost prices = new PlanCost(analysis);
        dev.spa.cost.Cost before = prices.original();
        dev.spa.cost.Cost after = prices.of(plan);
        JobKeys keys = setup.keys(job.getJobId());
        ModelUpload.store(store, prunedFiles, keys.prunedModel());
        store.put(keys.plan(), ManifestWriter.json(planned.getPlan()).getBytes(StandardCharsets.UTF_8), "application/json");

        long exportMs = System.currentTimeMillis() - started;
        ModelPruned result = ModelPruned.newBuilder().setJobId(job.getJobId()).setBatchId(job.getBatchId())
                .setPrunedModelUri(keys.prunedModel().toString()).setPlanUri(keys.plan().toString()).setReportUri(keys.report().toString())
                .setBefore(cost(before, check.latency().beforeMs(), job.getModelBytes(), accuracy.before()))
                .setAfter(cost(after, check.latency().afterMs(), prunedFiles.bytes(), accuracy.after()))
                .setTiming(timing(check.latency()))
                .setOutputDeviation(check.relativeDeviation())
                .setAgreement(quality.toEvent())
                .setTimings(StageTimings.newBuilder().setIngestMs(job.getIngestMs()).setGroupingMs(planned.getGroupingMs())
                        .setScoringMs(planned.getScoringMs()).setExportMs(exportMs)
                        .setEndToEndMs(System.currentTimeMillis() - job.getRegisteredAtMs()))
                .build();
        JobReport report = JobReport.newBuilder().setResult(result).setRequest(job.getRequest()).setModelSha256(job.getSha256())
                .setBackend(planned.getBackend()).setHessianSource(planned.getHessianSource()).setGroupsPruned(planned.getPlan().getGroupsCount())
                .setMeanScoreRemoved(planned.getMeanScoreRemoved()).setMeanScoreKept(planned.getMeanScoreKept())
                .setVerification("loaded and run in ONNX Runtime at batch 1 on random inputs; output shapes equal the original's")
                .setInputStatistics(quality.inputStatistics().describeFor(analysis.model())).setLatencySearch(planned.getLatencySearch()).build();
        store.put(keys.report(), ManifestWriter.json(report).getBytes(StandardCharsets.UTF_8), "application/json");
        record(result, before, after);
        String detail = String.format(Locale.ROOT, "MACs %.1f%%, parameters %.1f%% of the original; %s %.3f (floor %.3f); %s; pruned model at %s",
                100.0 * after.macsRatio(before), 100.0 * after.paramsRatio(before), quality.agreement().measureName(),
                quality.agreement().score(), quality.floor(), check.latency().summary(), keys.prunedModel());
        return EventSender.send(pruned, job.getJobId(), result).thenCompose(v -> events.status(JobRef.of(job),
                JobStatus.State.DONE, name(), detail, keys.prunedModel().toString()));
    }

    /**
     * The job's report is written but this plan came again: the exporter may have stopped before it announced the
     * result, so the stored result is announced (again), and nothing is written.
     */
    @Override
    public CompletionStage<Void> alreadyFinished(PlanReady planned) {
        JobAccepted job = planned.getJob();
        JobKeys keys = setup.keys(job.getJobId());
        JobReport.Builder report = JobReport.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(new String(store.get(keys.report()), StandardCharsets.UTF_8), report);
        } catch (InvalidProtocolBufferException e) {
            throw new MessageRefused("the finished job's report " + keys.report() + " cannot be read: " + e.getMessage());
        }
        ModelPruned result = report.getResult();
        return EventSender.send(pruned, job.getJobId(), result).thenCompose(v -> events.status(JobRef.of(job),
                JobStatus.State.DONE, name(), "finished earlier; pruned model at " + result.getPrunedModelUri(), result.getPrunedModelUri()));
    }

    /** The scorer's plan, checked against the model; one for another model fails the surgery. */
    private static PruningPlan plan(PlanReady planned, Analysis analysis) {
        try {
            return PruningPlan.of(planned.getPlan(), analysis);
        } catch (SpaException e) {
            throw new JobRejected("SURGERY_FAILED", e.getMessage(), false, e);
        }
    }

    /** The surgery with the scorer's updated tensors put back first. */
    private Model cut(Analysis analysis, PruningPlan plan, PlanReady planned) {
        try {
            WeightUpdate update = WeightUpdate.NONE;
            if (!planned.getUpdatedTensorsUri().isEmpty()) {
                byte[] stored;
                try {
                    stored = store.get(S3Uri.parse(planned.getUpdatedTensorsUri()));
                } catch (ObjectNotFoundException e) {
                    throw new JobRejected("UPDATED_TENSORS_NOT_FOUND", e.getMessage(), true);
                }
                update = UpdatedTensors.replacing(UpdatedTensors.fromBytes(stored), "stored update");
            }
            return Surgery.apply(analysis, plan, update);
        } catch (JobRejected e) {
            throw e;
        } catch (SpaException e) {
            throw new JobRejected("SURGERY_FAILED", e.getMessage(), false, e);
        }
    }

    private static Timing timing(LatencyComparison c) {
        return Timing.newBuilder().setMethod(c.method()).setRounds(c.rounds()).setBeforeMs(c.beforeMs()).setAfterMs(c.afterMs())
                .setRatio(c.ratio()).setRatioLow(c.ratioLow()).setRatioHigh(c.ratioHigh()).setTrusted(c.trusted()).setSlower(c.slower()).build();
    }

    private static Cost cost(dev.spa.cost.Cost c, double latencyMs, long bytes, double accuracy) {
        return Cost.newBuilder().setParams(c.params()).setMacs(c.macs()).setLatencyMsBatch1(latencyMs).setFileBytes(bytes)
                .setAccuracy(accuracy).build();
    }

    private void record(ModelPruned result, dev.spa.cost.Cost before, dev.spa.cost.Cost after) {
        metrics.counter("spa_params_removed_total").increment(before.params() - after.params());
        metrics.counter("spa_macs_removed_total").increment(before.macs() - after.macs());
        metrics.summary("spa_model_bytes", "stage", name(), "model", "pruned").record(result.getAfter().getFileBytes());
        metrics.summary("spa_macs_kept_ratio").record(after.macsRatio(before));
    }
}
