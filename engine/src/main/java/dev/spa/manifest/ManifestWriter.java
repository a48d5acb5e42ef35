package dev.spa.manifest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.spa.SpaException;
import dev.spa.cost.Cost;
import dev.spa.cost.PlanCost;
import dev.spa.events.manifest.GroupEntry;
import dev.spa.events.manifest.GroupManifest;
import dev.spa.events.manifest.GroupPlan;
import dev.spa.events.manifest.IndexList;
import dev.spa.events.manifest.MemberEntry;
import dev.spa.events.manifest.PlanRecord;
import dev.spa.events.manifest.TensorPlan;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.groups.Member;
import dev.spa.plan.PruningPlan;
import dev.spa.rules.Dim;

import java.util.Map;

/** Builds the manifest and plan messages from an analysis, and prints any message as JSON. */
public final class ManifestWriter {
    private ManifestWriter() {
    }

    public static GroupManifest manifest(String modelName, Analysis analysis) {
        PlanCost prices = new PlanCost(analysis);
        Cost original = prices.original();
        GroupManifest.Builder b = GroupManifest.newBuilder().setModel(modelName)
                .setParams(original.params()).setMacs(original.macs());
        for (Group g : analysis.groups()) {
            GroupEntry.Builder e = GroupEntry.newBuilder().setId(g.id()).setChannels(g.channels())
                    .setPrunable(g.prunable()).addAllBlockedReasons(g.blockedReasons()).addAllMixingReasons(g.mixingReasons());
            if (g.channels() > 1) {
                int[] allButFirst = new int[g.channels() - 1];
                for (int c = 1; c < g.channels(); c++) {
                    allButFirst[c - 1] = c;
                }
                Cost one = prices.of(new PruningPlan(Map.of(g.id(), allButFirst)));
                e.setParamsPerChannel(original.params() - one.params()).setMacsPerChannel(original.macs() - one.macs());
            }
            for (Member m : g.members()) {
                MemberEntry.Builder me = MemberEntry.newBuilder().setValue(m.dim().value()).setAxis(m.dim().axis()).setFold(m.dim().fold())
                        .setRole(m.role().name().toLowerCase()).setConstant(m.constant()).setAxisSize(m.axisSize());
                for (int[] pos : m.positions()) {
                    IndexList.Builder il = IndexList.newBuilder();
                    for (int p : pos) {
                        il.addIndex(p);
                    }
                    me.addPositions(il);
                }
                e.addMembers(me);
            }
            b.addGroups(e);
        }
        return b.build();
    }

    public static PlanRecord plan(String modelName, String criterion, String target, Analysis analysis, PruningPlan plan) {
        PlanRecord.Builder b = PlanRecord.newBuilder().setModel(modelName).setCriterion(criterion).setTarget(target);
        for (Group g : analysis.groups()) {
            int[] kept = plan.keptChannels().get(g.id());
            if (kept != null && kept.length < g.channels()) {
                GroupPlan.Builder gp = GroupPlan.newBuilder().setId(g.id()).setChannels(g.channels()).setChannelMixing(g.channelMixing());
                for (int k : kept) {
                    gp.addKept(k);
                }
                b.addGroups(gp);
            }
        }
        Map<Dim, int[]> positions = plan.keptPositions(analysis.groups());
        for (Group g : analysis.groups()) {
            for (Member m : g.members()) {
                int[] kept = positions.remove(m.dim());
                if (kept == null || !m.constant()) {
                    continue;
                }
                TensorPlan.Builder tp = TensorPlan.newBuilder().setName(m.dim().value()).setAxis(m.dim().axis())
                        .setOriginalSize(m.axisSize()).setRole(m.role().name().toLowerCase());
                for (int k : kept) {
                    tp.addKept(k);
                }
                b.addTensors(tp);
            }
        }
        return b.build();
    }

    public static String json(MessageOrBuilder message) {
        try {
            return JsonFormat.printer().includingDefaultValueFields().print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new SpaException("cannot print " + message.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    public static PlanRecord parsePlan(String json) {
        return parse(json, PlanRecord.newBuilder(), "plan JSON").build();
    }

    /** JSON written by {@link #json} read back into {@code builder} (fields it does not know are skipped); {@code what} names it in the error. */
    public static <B extends Message.Builder> B parse(String json, B builder, String what) {
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new SpaException(what + " is invalid: " + e.getMessage(), e);
        }
    }
}
