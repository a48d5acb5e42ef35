package dev.spa.load;

import dev.spa.events.StageTimings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * What a load run did, written to its results folder: {@code summary.md} (throughput, jobs lost,
 * latency percentiles per model size, stage times, whether the stack kept up), {@code jobs.csv} (one
 * line per job), and {@code throughput.svg} and {@code latency.svg} over time.
 */
final class LoadReport {
    /** A fault the run injected, at a time since its start. */
    record Fault(long atMs, String what) {
    }

    /** A job and how it ended (end is null for a job that never ended: lost). */
    record Job(Submission submission, Outcomes.End end, long endedMs) {
        long latencyMs() {
            return endedMs - submission.submittedMs();
        }
    }

    private static final long BUCKET_MS = 15_000;

    private final String title;
    private final List<Job> jobs;
    private final List<Fault> faults;
    private final long submitWindowMs;
    private final double rate;

    LoadReport(String title, List<Job> jobs, List<Fault> faults, long submitWindowMs, double rate) {
        this.title = title;
        this.jobs = jobs;
        this.faults = faults;
        this.submitWindowMs = submitWindowMs;
        this.rate = rate;
    }

    long lost() {
        return jobs.stream().filter(j -> j.submission().accepted() && j.end() == null).count();
    }

    /** Writes the four files and returns the summary's text. */
    String write(Path dir, int repeatedEnds) throws IOException {
        Files.createDirectories(dir);
        String summary = summary(repeatedEnds);
        Files.writeString(dir.resolve("summary.md"), summary);
        Files.writeString(dir.resolve("jobs.csv"), csv());
        Files.writeString(dir.resolve("throughput.svg"), throughputChart());
        Files.writeString(dir.resolve("latency.svg"), latencyChart());
        return summary;
    }

    private List<Job> ended() {
        return jobs.stream().filter(j -> j.end() != null).toList();
    }

    private String summary(int repeatedEnds) {
        List<Job> accepted = jobs.stream().filter(j -> j.submission().accepted()).toList();
        long pruned = accepted.stream().filter(j -> j.end() != null && j.end().ok()).count();
        long failed = accepted.stream().filter(j -> j.end() != null && !j.end().ok()).count();
        long failedUnexpectedly = accepted.stream().filter(j -> j.end() != null && !j.end().ok() && !j.submission().corrupt()).count();
        long prunedCorrupt = accepted.stream().filter(j -> j.end() != null && j.end().ok() && j.submission().corrupt()).count();
        long lastEnd = ended().stream().mapToLong(Job::endedMs).max().orElse(0);
        double minutes = Math.max(1, lastEnd) / 60000.0;
        StringBuilder s = new StringBuilder();
        s.append("## ").append(title).append("\n\n");
        s.append("| asked rate | submitted | accepted | pruned | failed (corrupt, as meant) | failed otherwise | lost | repeated ends | throughput | kept up |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|\n");
        s.append(String.format(Locale.ROOT, "| %.1f jobs/min for %d s | %d | %d | %d | %d | %d | **%d** | %d | %.1f jobs/min | %s |%n%n",
                rate, submitWindowMs / 1000, jobs.size(), accepted.size(), pruned, failed - failedUnexpectedly, failedUnexpectedly, lost(),
                repeatedEnds, (pruned + failed) / minutes, keptUp()));
        if (prunedCorrupt > 0) {
            s.append("Corrupt uploads that were pruned anyway: ").append(prunedCorrupt).append(" (a bug).\n\n");
        }
        jobs.stream().filter(j -> !j.submission().accepted()).forEach(j ->
                s.append("- refused at upload: ").append(j.submission().model()).append(": ").append(j.submission().refusal()).append('\n'));
        accepted.stream().filter(j -> j.end() != null && !j.end().ok() && !j.submission().corrupt()).forEach(j ->
                s.append("- failed: ").append(j.submission().model()).append(" (").append(j.submission().jobId()).append("): ")
                        .append(j.end().failed().getErrorCode()).append(' ').append(j.end().failed().getMessage()).append('\n'));
        accepted.stream().filter(j -> j.end() == null).forEach(j ->
                s.append("- LOST: ").append(j.submission().model()).append(" (").append(j.submission().jobId()).append(")\n"));
        s.append("\nEnd-to-end latency, upload to the job's end seen on Kafka, s:\n\n");
        s.append("| model size | jobs | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|\n");
        for (String size : ModelMix.sizeClasses()) {
            long[] latencies = ended().stream().filter(j -> j.submission().sizeClass().equals(size)).mapToLong(Job::latencyMs).sorted().toArray();
            if (latencies.length > 0) {
                s.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", size, latencies.length, pct(latencies, 50) / 1e3,
                        pct(latencies, 95) / 1e3, pct(latencies, 99) / 1e3, latencies[latencies.length - 1] / 1e3));
            }
        }
        s.append("\nStage times of the pruned jobs, from each job's own timings (ModelPruned), s:\n\n");
        s.append("| stage | mean | p95 |\n|---|---|---|\n");
        Map<String, ToLongFunction<StageTimings>> stages = new LinkedHashMap<>();
        stages.put("ingest", StageTimings::getIngestMs);
        stages.put("grouping", StageTimings::getGroupingMs);
        stages.put("scoring", StageTimings::getScoringMs);
        stages.put("export", StageTimings::getExportMs);
        stages.put("end to end (registered to exported)", StageTimings::getEndToEndMs);
        stages.forEach((name, f) -> {
            long[] v = ended().stream().filter(j -> j.end().ok()).mapToLong(j -> f.applyAsLong(j.end().pruned().getTimings())).sorted().toArray();
            if (v.length > 0) {
                s.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", name, Arrays.stream(v).average().orElse(0) / 1e3, pct(v, 95) / 1e3));
            }
        });
        if (!faults.isEmpty()) {
            s.append("\nFaults injected:\n\n");
            faults.forEach(f -> s.append(String.format(Locale.ROOT, "- at %.0f s: %s%n", f.atMs() / 1e3, f.what())));
        }
        s.append("\nModel cycle: ").append(ModelMix.describe()).append(".\n");
        return s.toString();
    }

    /**
     * Whether the stack kept up: none lost, and latency did not trend upwards over the window. A stack
     * fed faster than it drains queues the difference, so each job waits longer than the one before:
     * latency grows by (1 - capacity/rate) seconds per second of run. Up to 0.05 s/s (3 s per
     * minute) counts as flat; the least-squares slope over the ended jobs' latencies against their
     * upload times is robust to the mix's mixture of one-second and twenty-second jobs.
     */
    String keptUp() {
        double slope = latencyTrend();
        boolean ok = lost() == 0 && slope < 0.05;
        return String.format(Locale.ROOT, "%s (latency trend %+.2f s/s; median %.1f s first quarter, %.1f s last)", ok ? "yes" : "no",
                slope, medianLatency(0, submitWindowMs / 4) / 1e3, medianLatency(submitWindowMs * 3 / 4, submitWindowMs) / 1e3);
    }

    /** Seconds of added latency per second of run: the least-squares slope of latency against upload time. */
    double latencyTrend() {
        List<Job> valid = ended().stream().filter(j -> !j.submission().corrupt()).toList();
        double n = valid.size();
        if (n < 2) {
            return 0;
        }
        double meanT = valid.stream().mapToDouble(j -> j.submission().submittedMs()).sum() / n;
        double meanL = valid.stream().mapToDouble(Job::latencyMs).sum() / n;
        double cov = 0;
        double var = 0;
        for (Job j : valid) {
            double dt = j.submission().submittedMs() - meanT;
            cov += dt * (j.latencyMs() - meanL);
            var += dt * dt;
        }
        return var == 0 ? 0 : cov / var;
    }

    private double medianLatency(long fromMs, long toMs) {
        long[] v = ended().stream().filter(j -> !j.submission().corrupt() && j.submission().submittedMs() >= fromMs && j.submission().submittedMs() < toMs)
                .mapToLong(Job::latencyMs).sorted().toArray();
        return v.length == 0 ? Double.NaN : pct(v, 50);
    }

    private static long pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private String csv() {
        StringBuilder s = new StringBuilder("job,model,size,corrupt,submitted_s,ended_s,outcome,code,latency_s,ingest_s,grouping_s,scoring_s,export_s\n");
        for (Job j : jobs) {
            Submission u = j.submission();
            String outcome = !u.accepted() ? "refused" : j.end() == null ? "lost" : j.end().ok() ? "pruned" : "failed";
            StageTimings t = j.end() != null && j.end().ok() ? j.end().pruned().getTimings() : StageTimings.getDefaultInstance();
            s.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%.1f,%s,%s,%s,%s,%.1f,%.1f,%.1f,%.1f%n", u.jobId(), u.model(), u.sizeClass(), u.corrupt(),
                    u.submittedMs() / 1e3, j.end() == null ? "" : String.format(Locale.ROOT, "%.1f", j.endedMs() / 1e3), outcome,
                    j.end() != null && !j.end().ok() ? j.end().failed().getErrorCode() : "",
                    j.end() == null ? "" : String.format(Locale.ROOT, "%.1f", j.latencyMs() / 1e3),
                    t.getIngestMs() / 1e3, t.getGroupingMs() / 1e3, t.getScoringMs() / 1e3, t.getExportMs() / 1e3));
        }
        return s.toString();
    }

    private String throughputChart() {
        long last = Math.max(submitWindowMs, ended().stream().mapToLong(Job::endedMs).max().orElse(0));
        int buckets = (int) (last / BUCKET_MS) + 1;
        double[] x = new double[buckets];
        double[] submitted = new double[buckets];
        double[] ended = new double[buckets];
        double[] inFlight = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            long from = b * BUCKET_MS;
            long to = from + BUCKET_MS;
            x[b] = to / 1e3;
            submitted[b] = jobs.stream().filter(j -> j.submission().submittedMs() >= from && j.submission().submittedMs() < to).count() * 60_000.0 / BUCKET_MS;
            ended[b] = ended().stream().filter(j -> j.endedMs() >= from && j.endedMs() < to).count() * 60_000.0 / BUCKET_MS;
            inFlight[b] = jobs.stream().filter(j -> j.submission().accepted() && j.submission().submittedMs() < to
                    && (j.end() == null || j.endedMs() >= to)).count();
        }
        TimeChart chart = new TimeChart(title + ": jobs per minute (15 s buckets) and jobs in flight", "jobs/min, jobs")
                .line("submitted / min", x, submitted).line("ended / min", x, ended).line("in flight", x, inFlight);
        faults.forEach(f -> chart.marker(f.atMs() / 1e3, f.what()));
        return chart.svg();
    }

    private String latencyChart() {
        TimeChart chart = new TimeChart(title + ": each job's end-to-end latency, at the time it ended", "latency, s");
        for (String size : ModelMix.sizeClasses()) {
            List<Job> of = ended().stream().filter(j -> j.submission().sizeClass().equals(size)).toList();
            if (!of.isEmpty()) {
                chart.points(size, of.stream().mapToDouble(j -> j.endedMs() / 1e3).toArray(), of.stream().mapToDouble(j -> j.latencyMs() / 1e3).toArray());
            }
        }
        faults.forEach(f -> chart.marker(f.atMs() / 1e3, f.what()));
        return chart.svg();
    }
}
