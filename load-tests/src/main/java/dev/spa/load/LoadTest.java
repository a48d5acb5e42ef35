package dev.spa.load;

import dev.spa.local.LocalStack;
import dev.spa.testkit.IngestClient;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code load-tests/run [--rate JOBS_PER_MIN] [--duration SECONDS] [--fault] [--drain SECONDS] [--name NAME]
 * [--ingest URL --kafka BOOTSTRAP]}: uploads models from {@link ModelMix} through ingest's
 * {@code POST /models} at a fixed rate for the duration, against the local stack it starts (or a running
 * stack named by --ingest and --kafka), waits for every job to end (ModelPruned or JobFailed) or the
 * drain time to pass, and writes {@code load-tests/results/NAME/}. With {@code --fault}, services are
 * killed and stopped in the middle of the run and restarted. Exits 1 if any job was lost.
 */
public final class LoadTest {
    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        double rate = 6;
        long durationS = 300;
        long drainS = 900;
        boolean fault = false;
        String name = null;
        String ingest = null;
        String kafka = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--duration" -> durationS = Long.parseLong(args[++i]);
                case "--drain" -> drainS = Long.parseLong(args[++i]);
                case "--fault" -> fault = true;
                case "--name" -> name = args[++i];
                case "--ingest" -> ingest = args[++i];
                case "--kafka" -> kafka = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see load-tests/README.md)");
            }
        }
        if ((ingest == null) != (kafka == null)) {
            throw new IllegalArgumentException("--ingest and --kafka go together (or neither, for the local stack)");
        }
        if (name == null) {
            name = String.format(Locale.ROOT, "%s%.0f-per-min-%ds", fault ? "fault-" : "", rate, durationS);
        }
        ModelMix mix = new ModelMix(Path.of(System.getProperty("spa.shared.dir", "../shared"), "models"));
        LocalStack stack = null;
        if (ingest == null) {
            System.out.println("starting the local stack (logs in out/load-stack/logs) ...");
            stack = LocalStack.start(Path.of("out", "load-stack").toAbsolutePath(), Path.of(System.getProperty("spa.services.dir", "services")));
            LocalStack started = stack;
            // the stack stops when the run ends, and on Ctrl-C or a kill too, rather than leaving its processes behind
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            ingest = stack.url("ingest");
            kafka = stack.bootstrapServers();
        } else if (fault) {
            throw new IllegalArgumentException("--fault restarts services, which it can only do on the local stack it starts");
        }
        try (Outcomes outcomes = new Outcomes(kafka)) {
            Run run = new Run(mix, ingest, rate, durationS * 1000);
            List<LoadReport.Fault> faults = Collections.synchronizedList(new ArrayList<>());
            if (fault) {
                new FaultPlan(stack, run.startedAtMs(), durationS * 1000, faults).start();
            }
            List<Submission> submissions = run.submitAll();
            System.out.printf("%d uploads in %d s; waiting for every job to end (at most %d s) ...%n", submissions.size(), durationS, drainS);
            List<LoadReport.Job> jobs = awaitEnds(submissions, outcomes, run.startedAtMs(), drainS * 1000);
            LoadReport report = new LoadReport(name, jobs, faults, durationS * 1000, rate);
            Path dir = Path.of("load-tests", "results", name);
            System.out.println(report.write(dir, outcomes.repeatedEnds()));
            System.out.println("written to " + dir);
            if (report.lost() > 0) {
                System.exit(1);
            }
        }
    }

    private static List<LoadReport.Job> awaitEnds(List<Submission> submissions, Outcomes outcomes, long startedAtMs, long drainMs)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + drainMs;
        while (System.currentTimeMillis() < deadline
                && submissions.stream().anyMatch(s -> s.accepted() && outcomes.end(s.jobId()) == null)) {
            Thread.sleep(500);
        }
        List<LoadReport.Job> jobs = new ArrayList<>();
        for (Submission s : submissions) {
            Outcomes.End end = s.accepted() ? outcomes.end(s.jobId()) : null;
            jobs.add(new LoadReport.Job(s, end, end == null ? 0 : end.seenAtMs() - startedAtMs));
        }
        return jobs;
    }

    /** The uploads, one every 60/rate seconds for the duration, each on a thread of a small pool so a slow one does not delay the next. */
    private static final class Run {
        private final ModelMix mix;
        private final String ingest;
        private final double rate;
        private final long durationMs;
        private final long startedAtMs = System.currentTimeMillis();

        Run(ModelMix mix, String ingest, double rate, long durationMs) {
            this.mix = mix;
            this.ingest = ingest;
            this.rate = rate;
            this.durationMs = durationMs;
        }

        long startedAtMs() {
            return startedAtMs;
        }

        List<Submission> submitAll() throws InterruptedException {
            List<Submission> out = Collections.synchronizedList(new ArrayList<>());
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
            ExecutorService uploads = Executors.newFixedThreadPool(4);
            long periodUs = (long) (60_000_000 / rate);
            clock.scheduleAtFixedRate(() -> uploads.submit(() -> out.add(upload())), 0, periodUs, TimeUnit.MICROSECONDS);
            Thread.sleep(durationMs);
            clock.shutdownNow();
            uploads.shutdown();
            uploads.awaitTermination(2, TimeUnit.MINUTES);
            return new ArrayList<>(out);
        }

        private Submission upload() {
            long at = System.currentTimeMillis() - startedAtMs;
            ModelMix.Upload u;
            try {
                u = mix.next();
            } catch (java.io.IOException e) {
                return new Submission("", "?", "?", false, at, "cannot read the model: " + e.getMessage());
            }
            try {
                String job = IngestClient.upload(ingest, HttpRequest.BodyPublishers.ofByteArray(u.bytes()),
                        "?name=" + URLEncoder.encode(u.name(), StandardCharsets.UTF_8));
                return new Submission(job, u.name(), u.sizeClass(), u.corrupt(), at, null);
            } catch (RuntimeException e) {
                // a corrupt model may be refused at upload already: that is an answer, not a loss
                return new Submission("", u.name(), u.sizeClass(), u.corrupt(), at, e.getMessage());
            }
        }
    }
}
