package dev.spa.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.spa.events.BatchJob;
import dev.spa.events.BatchJobResult;
import dev.spa.events.BatchPlan;
import dev.spa.events.Cost;
import dev.spa.events.PruningRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The batch report: one row per model and policy, with its costs before and after, or why it failed. */
final class BatchReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BatchReport() {
    }

    static byte[] json(BatchPlan plan, List<BatchJobResult> results) {
        Map<String, BatchJobResult> byJob = new HashMap<>();
        for (BatchJobResult r : results) {
            byJob.put(r.hasPruned() ? r.getPruned().getJobId() : r.getFailed().getJobId(), r);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BatchJob job : plan.getJobsList()) {
            PruningRequest policy = plan.getRequest().getPolicies(job.getPolicy());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("jobId", job.getJobId());
            row.put("model", job.getModelUri());
            row.put("criterion", policy.getCriterion().isEmpty() ? "(default)" : policy.getCriterion());
            row.put("target", policy.getTarget().isEmpty() ? "(default)" : policy.getTarget());
            BatchJobResult r = byJob.get(job.getJobId());
            if (r != null && r.hasPruned()) {
                row.put("outcome", "pruned");
                row.put("prunedModel", r.getPruned().getPrunedModelUri());
                row.put("before", cost(r.getPruned().getBefore()));
                row.put("after", cost(r.getPruned().getAfter()));
                row.put("outputDeviation", r.getPruned().getOutputDeviation());
            } else if (r != null) {
                row.put("outcome", "failed");
                row.put("stage", r.getFailed().getStage());
                row.put("errorCode", r.getFailed().getErrorCode());
                row.put("error", r.getFailed().getMessage());
            } else {
                row.put("outcome", "missing");
            }
            rows.add(row);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("batchId", plan.getRequest().getBatchId());
        report.put("jobs", rows);
        try {
            return JSON.writeValueAsBytes(report);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> cost(Cost c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("params", c.getParams());
        m.put("macs", c.getMacs());
        m.put("latencyMsBatch1", c.getLatencyMsBatch1());
        m.put("fileBytes", c.getFileBytes());
        if (!Double.isNaN(c.getAccuracy())) {
            m.put("accuracy", c.getAccuracy());
        }
        return m;
    }
}
