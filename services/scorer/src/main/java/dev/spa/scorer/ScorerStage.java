package dev.spa.scorer;

import dev.spa.SpaException;
import dev.spa.events.GroupsReady;
import dev.spa.events.JobAccepted;
import dev.spa.events.JobStatus;
import dev.spa.events.PlanReady;
import dev.spa.events.PruningRequest;
import dev.spa.groups.Analysis;
import dev.spa.ir.Tensor;
import dev.spa.latency.LatencyModels;
import dev.spa.latency.LatencyTargetSearch;
import dev.spa.obspa.Obspa;
import dev.spa.platform.EventSender;
import dev.spa.platform.JobKeys;
import dev.spa.platform.JobModels;
import dev.spa.platform.JobRef;
import dev.spa.platform.JobRejected;
import dev.spa.platform.JobStage;
import dev.spa.platform.MemoryBudget;
import dev.spa.platform.Requests;
import dev.spa.platform.Shares;
import dev.spa.platform.StoredFiles;
import dev.spa.policy.BuiltPolicy;
import dev.spa.policy.PruningPolicy;
import dev.spa.pruning.Pruner;
import dev.spa.quality.AgreementSearch;
import dev.spa.quality.DataFreeChoice;
import dev.spa.quality.ScoredPolicy;
import dev.spa.runtime.ClassBalancedImages;
import dev.spa.runtime.LatencyRuntime;
import dev.spa.runtime.ReferenceInputs;
import dev.spa.select.Target;
import dev.spa.select.TargetCheck;
import dev.spa.select.TargetSpec;
import dev.spa.surgery.UpdatedTensors;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * spa.groups → spa.plans: scores every prunable group by the job's criterion, selects the channels
 * to keep for its target, and runs the weight update (OBSPA), storing only the tensors it changed at
 * {@code jobs/<id>/updated-tensors.pb}. The plan travels in the event.
 */
@ApplicationScoped
public class ScorerStage extends JobStage<GroupsReady> {
    private static final Logger LOG = Logger.getLogger(ScorerStage.class);

    public ScorerStage() {
        super("scorer", "GroupsReady", GroupsReady::parseFrom, GroupsReady::getJob);
    }

    @Inject
    ScorerCompute compute;

    @Inject
    @Channel("plans")
    Emitter<byte[]> plans;

    @Inject
    MemoryBudget memory;

    private JobCores cores;

    @ConfigProperty(name = "spa.scorer.light-job-bytes", defaultValue = "2000000")
    long lightJobBytes;

    @PostConstruct
    void init() {
        cores = new JobCores(lightJobBytes);
    }

    /**
     * Unordered on a pool of its own ({@code smallrye.messaging.worker.scorer-jobs.max-concurrency}): several jobs may be
     * in hand at once, and {@link #cores} decides which of them run side by side.
     */
    @Incoming("groups")
    @Blocking(value = "scorer-jobs", ordered = false)
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return run(message);
    }

    @Override
    public int cores(GroupsReady groups) {
        return cores.of(groups.getJob());
    }

    /**
     * The selection for the job's target; with an agreement target, the deepest cut whose agreement
     * on the job's reference inputs stays at the floor (the exporter measures the result again).
     */
    private Planned plan(JobAccepted job, Analysis analysis, ScoredPolicy scored, PruningPolicy policy, ReferenceInputs reference,
                         TargetSpec spec) {
        Pruner pruner = new Pruner(progress(job));
        BuiltPolicy parts = scored.parts();
        Pruner.Scores scores = scored.scores();
        if (spec.cost().kind() == Target.Kind.LATENCY) {
            return latencyTarget(job, analysis, parts, policy, scores);
        }
        if (!spec.hasAgreement() && job.getRequest().getRoundToKernels()) {
            LatencyModels.Obtained steps = LatencyModels.steps(analysis, Requests.latencyRuntime(job.getRequest()), latencyModels(),
                    progress(job));
            Pruner.Planned rounded = pruner.select(job.getModelUri(), analysis, scores, policy.selection(), steps.model()::step);
            return new Planned(reached(job, analysis, spec.cost(), rounded),
                    "kept counts rounded up to the " + steps.model().describeSteps() + (steps.cached() ? " (from the bucket)" : " (measured now)"));
        }
        if (!spec.hasAgreement()) {
            return new Planned(reached(job, analysis, spec.cost(), pruner.select(job.getModelUri(), analysis, scores, policy.selection())), "");
        }
        AgreementSearch.Outcome o = new AgreementSearch(progress(job))
                .search(job.getModelUri(), analysis, scores, policy.selection(), parts.update(), reference, spec.agreement());
        if (!o.met()) {
            unreachable(job, "no cut kept agreement at " + spec.agreement() + " or above on " + reference.description()
                    + ": the closest is the model left whole");
        }
        return new Planned(o.planned(), "");
    }

    /** A cost target the selection could not reach fails the job with the numbers, unless the request asks for the closest cut. */
    private static Pruner.Planned reached(JobAccepted job, Analysis analysis, Target target, Pruner.Planned planned) {
        String missed = TargetCheck.missed(target, planned.before(), planned.after(), analysis);
        if (missed != null) {
            unreachable(job, missed);
        }
        return planned;
    }

    private static void unreachable(JobAccepted job, String why) {
        if (!job.getRequest().getBestEffort()) {
            throw new JobRejected("TARGET_UNREACHABLE", why + " (a request with best_effort publishes the closest cut)", false);
        }
        LOG.warnf("job %s: %s; best effort: the closest cut is published", job.getJobId(), why);
    }

    /** A plan and, for a latency target, what the search measured (for the report). */
    private record Planned(Pruner.Planned plan, String latencySearch) {
    }

    /**
     * A latency target: the model's latency model on the job's runtime (from the bucket, or measured now and stored for
     * later jobs), then cuts measured against the original until one meets the target. A target no cut meets fails the job
     * with the numbers rather than publishing a model that is not what was asked.
     */
    private Planned latencyTarget(JobAccepted job, Analysis analysis, BuiltPolicy parts, PruningPolicy policy, Pruner.Scores scores) {
        LatencyRuntime runtime = Requests.latencyRuntime(job.getRequest());
        LatencyModels.Obtained latency = LatencyModels.obtain(analysis, runtime, latencyModels(), progress(job));
        LatencyTargetSearch.Outcome o = new LatencyTargetSearch(progress(job))
                .search(job.getModelUri(), analysis, scores, policy.selection(), parts.update(), latency.model(), runtime);
        if (!o.met()) {
            throw new JobRejected("LATENCY_TARGET_UNREACHABLE", "no cut met the latency target " + o.target() + " on " + runtime.describe()
                    + " (every group at its floor or saving no time); the fastest cut measured " + o.latency().describe(), false);
        }
        return new Planned(o.planned(), latency.describe() + "; " + o.describe());
    }

    /** Where latency models and kernel steps are kept for later jobs: the bucket, shared by every scorer replica. */
    private LatencyModels.Cache latencyModels() {
        return new StoredLatencyModels(store, setup.bucket());
    }

    /** A job's progress lines, in the log under its id. */
    private static Consumer<String> progress(JobAccepted job) {
        return line -> LOG.infof("job %s: %s", job.getJobId(), line);
    }

    /**
     * A job whose model, OBSPA state (the layers' Hessians or inverses it holds at once) and, for an agreement target, the
     * reference model and each candidate's bytes would not fit the scorer's memory budget together fails at once
     * with the numbers, instead of running for minutes and then out of memory (ResNet-152: 0.96 GB of model
     * copies, 2.6 GB of OBSPA state and 0.5 GB for the search, measured out of memory in a 6 GB scorer). One that fits is
     * held to its need while it runs: a job beside it ({@link JobCores}) waits until both fit.
     */
    private Shares.Held reserveMemory(PruningPolicy policy, Analysis analysis, long modelBytes, boolean search) {
        long need = MemoryBudget.MODEL_COPIES * modelBytes + (search ? 2 * modelBytes : 0);
        if (policy.usesObspa()) {
            boolean captured = policy.choosesDataFree() ? DataFreeChoice.choosesOn(analysis, policy)
                    : policy.hessianSource().capturesSamples();
            // a capture's class-balanced images are held in memory, at most ClassBalancedImages.MAX_BYTES
            need += Obspa.estimatedBytes(analysis, captured) + (captured ? ClassBalancedImages.MAX_BYTES : 0);
        }
        return memory.reserve(need, String.format(Locale.ROOT, "%s on this %.1f MB model%s", policy.usesObspa()
                        ? "OBSPA (its Hessians and inverses)" : "scoring", modelBytes / 1e6, search ? " with a search (agreement or latency target) that runs cuts" : ""),
                policy.usesObspa() ? "use criterion l1 or l2, or a larger scorer" : "give the scorer a larger heap");
    }

    @Override
    public CompletionStage<Void> process(GroupsReady groups) {
        long started = System.currentTimeMillis();
        JobAccepted job = groups.getJob();
        PruningRequest request = job.getRequest();
        long modelBytes = memory.requireModel(store, job, MemoryBudget.MODEL_COPIES);
        Analysis analysis = JobModels.analyse(Requests.asStated(JobModels.load(store, job.getModelUri()), job.getRequest()));
        if (analysis.groups().size() != groups.getGroups()) {
            throw new JobRejected("MANIFEST_MISMATCH", "the model has " + analysis.groups().size() + " groups, the manifest "
                    + groups.getGroups() + ": the model changed after grouping", false);
        }
        Path calibration = Requests.calibrated(request)
                ? StoredFiles.fetch(store, request.getCalibrationUri(), "calibration data", "CALIBRATION_NOT_FOUND") : null;
        Shares.Held reservation = null;
        try {
            PruningPolicy policy = Requests.policy(request, calibration);
            TargetSpec spec = TargetSpec.parse(request.getTarget());
            // auto's candidates are cuts measured against the original, as a search's are
            reservation = reserveMemory(policy, analysis, modelBytes,
                    spec.hasAgreement() || spec.cost().kind() == Target.Kind.LATENCY
                            || (policy.choosesDataFree() && DataFreeChoice.choosesOn(analysis, policy)));
            BuiltPolicy parts;
            Pruner.Planned planned;
            String latencySearch;
            List<Tensor> updated;
            try {
                // the reference inputs the exporter's quality check uses too (auto ranks on held-out images where the model takes them)
                ReferenceInputs reference = ReferenceInputs.of(analysis.model(), calibration, BuiltPolicy.inputStatistics(policy, analysis));
                ScoredPolicy scored = ScoredPolicy.of(job.getModelUri(), analysis, policy, compute.compute(), reference,
                        line -> LOG.debugf("job %s: %s", job.getJobId(), line));
                parts = scored.parts();
                Planned p = plan(job, analysis, scored, policy, reference, spec);
                planned = p.plan();
                latencySearch = p.latencySearch();
                updated = UpdatedTensors.of(analysis, planned.plan(), parts.update().forLastCut());
            } catch (JobRejected e) {
                throw e;
            } catch (SpaException e) {
                throw new JobRejected("SCORING_FAILED", e.getMessage(), false, e);
            }
            JobKeys keys = setup.keys(job.getJobId());
            PlanReady.Builder ready = PlanReady.newBuilder().setJob(job).setPlan(planned.record()).setBackend(compute.kind())
                    .setMeanScoreRemoved(planned.meanScoreRemoved()).setMeanScoreKept(planned.meanScoreKept())
                    .setGroupingMs(groups.getGroupingMs()).setHessianSource(parts.hessianDescription()).setLatencySearch(latencySearch);
            if (!updated.isEmpty()) {
                store.put(keys.updatedTensors(), UpdatedTensors.toBytes(updated), "application/x-protobuf");
                ready.setUpdatedTensorsUri(keys.updatedTensors().toString());
            }
            PlanReady plan = ready.setScoringMs(System.currentTimeMillis() - started).build();
            String detail = String.format("%s: %d groups lose channels; MACs %.1f%% of the original, update %s",
                    parts.scorer().criterion().name(), planned.record().getGroupsCount(),
                    100.0 * planned.after().macs() / Math.max(1, planned.before().macs()), parts.update().name());
            cores.finished(job);
            return EventSender.send(plans, job.getJobId(), plan)
                    .thenCompose(v -> events.status(JobRef.of(job), JobStatus.State.PLANNED, name(), detail));
        } finally {
            StoredFiles.delete(calibration);
            if (reservation != null) {
                reservation.close();
            }
        }
    }
}
