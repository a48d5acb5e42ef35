package dev.spa.grouping;

import dev.spa.events.GroupsReady;
import dev.spa.events.JobAccepted;
import dev.spa.events.JobStatus;
import dev.spa.events.manifest.GroupManifest;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.ir.Model;
import dev.spa.manifest.ManifestWriter;
import dev.spa.platform.EventSender;
import dev.spa.platform.JobKeys;
import dev.spa.platform.JobModels;
import dev.spa.platform.JobRef;
import dev.spa.platform.JobRejected;
import dev.spa.platform.JobStage;
import dev.spa.platform.MemoryBudget;
import dev.spa.platform.Requests;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * spa.jobs.accepted → spa.groups: the engine's dependency analysis of the job's model. The manifest
 * is always stored at {@code jobs/<id>/manifest.pb}, and also sent inline when it is small enough
 * for one Kafka record. A model with nothing prunable fails here, with the reasons why.
 */
@ApplicationScoped
public class GroupingStage extends JobStage<JobAccepted> {
    public GroupingStage() {
        super("grouping", "JobAccepted", JobAccepted::parseFrom, job -> job);
    }

    @Inject
    MemoryBudget memory;

    @Inject
    @Channel("groups")
    Emitter<byte[]> groups;

    @ConfigProperty(name = "spa.grouping.inline-manifest-bytes", defaultValue = "262144")
    int inlineLimit;

    @Incoming("accepted")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> message) {
        return run(message);
    }

    @Override
    public CompletionStage<Void> process(JobAccepted job) {
        long started = System.currentTimeMillis();
        memory.requireModel(store, job, MemoryBudget.MODEL_COPIES);
        Model model = JobModels.load(store, job.getModelUri());
        Analysis analysis = JobModels.analyse(Requests.asStated(model, job.getRequest()));
        if (analysis.prunableGroups().isEmpty()) {
            throw new JobRejected("NOTHING_TO_PRUNE", "no group of " + analysis.groups().size()
                    + " can be pruned: " + blockedReasons(analysis), false);
        }
        GroupManifest manifest = ManifestWriter.manifest(job.getModelUri(), analysis);
        JobKeys keys = setup.keys(job.getJobId());
        store.put(keys.manifest(), manifest.toByteArray(), "application/x-protobuf");
        GroupsReady.Builder ready = GroupsReady.newBuilder().setJob(job).setGroups(analysis.groups().size())
                .setPrunableGroups(analysis.prunableGroups().size()).setGroupingMs(System.currentTimeMillis() - started);
        if (manifest.getSerializedSize() <= inlineLimit) {
            ready.setInline(manifest);
        } else {
            ready.setManifestUri(keys.manifest().toString());
        }
        return EventSender.send(groups, job.getJobId(), ready.build())
                .thenCompose(v -> events.status(JobRef.of(job), JobStatus.State.GROUPED, name(),
                        analysis.prunableGroups().size() + " of " + analysis.groups().size() + " groups prunable"));
    }

    /** The most frequent reasons groups are blocked, with counts. */
    private static String blockedReasons(Analysis analysis) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Group g : analysis.groups()) {
            g.blockedReasons().forEach(r -> counts.merge(r, 1, Integer::sum));
        }
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
                .map(e -> e.getValue() + "x " + e.getKey()).collect(Collectors.joining("; "));
    }
}
