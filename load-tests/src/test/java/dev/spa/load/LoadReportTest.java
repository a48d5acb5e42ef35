package dev.spa.load;

import dev.spa.events.JobFailed;
import dev.spa.events.ModelPruned;
import dev.spa.events.StageTimings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's arithmetic: jobs lost, the kept-up verdict, percentiles, and the files it writes. */
class LoadReportTest {
    private static LoadReport.Job pruned(String id, long submittedMs, long latencyMs) {
        ModelPruned done = ModelPruned.newBuilder().setJobId(id)
                .setTimings(StageTimings.newBuilder().setScoringMs(latencyMs / 2).setEndToEndMs(latencyMs)).build();
        return new LoadReport.Job(new Submission(id, id + ".onnx", "small (<1 MB)", false, submittedMs, null),
                new Outcomes.End(0, done, null), submittedMs + latencyMs);
    }

    @Test
    void aSteadyRunKeepsUpAndLosesNothing(@TempDir Path dir) throws Exception {
        List<LoadReport.Job> jobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            jobs.add(pruned("j" + i, i * 1000L, 2000));
        }
        jobs.add(new LoadReport.Job(new Submission("bad", "corrupt.onnx", "corrupt", true, 5000, null),
                new Outcomes.End(0, null, JobFailed.newBuilder().setJobId("bad").setErrorCode("INVALID_MODEL").build()), 5400));
        LoadReport report = new LoadReport("steady", jobs, List.of(), 40_000, 60);
        assertEquals(0, report.lost());
        assertTrue(report.keptUp().startsWith("yes"), report.keptUp());
        String summary = report.write(dir, 0);
        assertTrue(summary.contains("| small (<1 MB) | 40 | 2.0 | 2.0 | 2.0 | 2.0 |"), summary);
        for (String file : List.of("summary.md", "jobs.csv", "throughput.svg", "latency.svg")) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        assertEquals(42, Files.readAllLines(dir.resolve("jobs.csv")).size(), "a header and one line per job");
    }

    @Test
    void aGrowingQueueDoesNotKeepUpAndAJobWithoutAnEndIsLost(@TempDir Path dir) throws Exception {
        List<LoadReport.Job> jobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            jobs.add(pruned("j" + i, i * 1000L, 1000L + i * 1000L));
        }
        jobs.add(new LoadReport.Job(new Submission("gone", "gone.onnx", "small (<1 MB)", false, 3000, null), null, 0));
        LoadReport report = new LoadReport("growing", jobs, List.of(new LoadReport.Fault(20_000, "scorer killed")), 40_000, 60);
        assertEquals(1, report.lost());
        assertTrue(report.latencyTrend() > 0.5, "latency grows a second per second: " + report.latencyTrend());
        assertTrue(report.keptUp().startsWith("no"), report.keptUp());
        String summary = report.write(dir, 0);
        assertTrue(summary.contains("- LOST: gone.onnx (gone)"), summary);
        assertTrue(summary.contains("at 20 s: scorer killed"), summary);
    }
}
