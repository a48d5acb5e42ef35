package dev.spa.load;

import dev.spa.local.LocalStack;
import dev.spa.testkit.IngestClient;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * {@code load-tests/run [--rate JOBS_PER_MIN] [--duration SECONDS] [--fault] [--hostile] [--long-job MODEL] [--heap SERVICE=SIZE] [--drain SECONDS]
 * [--name NAME] [--ingest URL --kafka BOOTSTRAP]}: uploads models from {@link ModelMix} through ingest's
 * {@code POST /models} at a fixed rate for the duration, against the local stack it starts (or a running
 * stack named by --ingest and --kafka), waits for every job to end (ModelPruned or JobFailed) or the
 * drain time to pass, and writes {@code load-tests/results/NAME/}. With {@code --fault}, services are
 * killed and stopped in the middle of the run and restarted; with {@code --hostile} the corrupt slot of the
 * mix takes the hostile files in turn; {@code --long-job MODEL} (a file in ../shared/models) starts the run
 * with one job that holds the scorer for minutes. Exits 1 if any job was lost.
 */
public final class LoadTest {
    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        double rate = 6;
        long durationS = 300;
        long drainS = 900;
        boolean fault = false;
        boolean hostile = false;
        String longJob = null;
        String name = null;
        String ingest = null;
        String token = System.getenv("SPA_API_TOKEN");
        String kafka = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--duration" -> durationS = Long.parseLong(args[++i]);
                case "--drain" -> drainS = Long.parseLong(args[++i]);
                case "--fault" -> fault = true;
                case "--hostile" -> hostile = true;
                case "--long-job" -> longJob = args[++i];
                case "--name" -> name = args[++i];
                case "--ingest" -> ingest = args[++i];
                case "--kafka" -> kafka = args[++i];
                // a service's heap in the local stack, e.g. --heap scorer=12g for a job larger than 6 GB of OBSPA allows
                case "--heap" -> {
                    String[] serviceHeap = args[++i].split("=", 2);
                    System.setProperty("spa.local.heap." + serviceHeap[0], serviceHeap[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see load-tests/README.md)");
            }
        }
        if ((ingest == null) != (kafka == null)) {
            throw new IllegalArgumentException("--ingest and --kafka go together (or neither, for the local stack)");
        }
        if (ingest != null && token == null) {
            throw new IllegalArgumentException("a running stack named by --ingest needs its API token in SPA_API_TOKEN");
        }
        if (name == null) {
            name = String.format(Locale.ROOT, "%s%.0f-per-min-%ds", fault ? "fault-" : "", rate, durationS);
        }
        Path models = Path.of(System.getProperty("spa.shared.dir", "../shared"), "models");
        ModelMix mix = new ModelMix(models, hostile);
        LocalStack stack = null;
        if (ingest == null) {
            System.out.println("starting the local stack (logs in out/load-stack/logs) ...");
            stack = LocalStack.start(Path.of("out", "load-stack").toAbsolutePath(), Path.of(System.getProperty("spa.services.dir", "services")));
            LocalStack started = stack;
            // the stack stops when the run ends, and on Ctrl-C or a kill too, rather than leaving its processes behind
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            ingest = stack.url("ingest");
            token = stack.apiToken();
            kafka = stack.bootstrapServers();
        } else if (fault) {
            throw new IllegalArgumentException("--fault restarts services, which it can only do on the local stack it starts");
        }
        try (Outcomes outcomes = new Outcomes(kafka)) {
            Run run = new Run(mix, ingest, token, rate, durationS * 1000);
            List<LoadReport.Fault> faults = Collections.synchronizedList(new ArrayList<>());
            if (fault) {
                new FaultPlan(stack, run.startedAtMs(), durationS * 1000, faults).start();
            }
            Submission longest = longJob == null ? null : run.uploadLong(models.resolve(longJob));
            List<Submission> submissions = new ArrayList<>(run.submitAll());
            if (longest != null) {
                submissions.add(0, longest);
            }
            System.out.printf("%d uploads in %d s; waiting for every job to end (at most %d s) ...%n", submissions.size(), durationS, drainS);
            List<LoadReport.Job> jobs = awaitEnds(submissions, outcomes, run.startedAtMs(), drainS * 1000);
            LoadReport report = new LoadReport(name, jobs, faults, durationS * 1000, rate);
            Path dir = Path.of("load-tests", "results", name);
            System.out.println(report.write(dir, outcomes.repeatedEnds()));
            int down = stack == null ? 0 : unhealthy(stack, dir);
            System.out.println("written to " + dir);
            if (report.lost() > 0 || down > 0) {
                System.exit(1);
            }
        }
    }

    /**
     * Every service's /q/health after the run (a closed Kafka consumer shows there as DOWN), written to health.txt;
     * returns how many are not UP.
     */
    private static int unhealthy(LocalStack stack, Path dir) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder text = new StringBuilder();
        int down = 0;
        for (String service : LocalStack.SERVICES) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(stack.url(service) + "/q/health"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            boolean up = r.statusCode() == 200;
            down += up ? 0 : 1;
            text.append(service).append(": ").append(up ? "UP" : "DOWN (" + r.statusCode() + ") " + r.body().replaceAll("\\s+", " "))
                    .append('\n');
        }
        Files.writeString(dir.resolve("health.txt"), text);
        System.out.print("health after the run:\n" + text);
        return down;
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
        private final String token;
        private final double rate;
        private final long durationMs;
        private final long startedAtMs = System.currentTimeMillis();

        Run(ModelMix mix, String ingest, String token, double rate, long durationMs) {
            this.mix = mix;
            this.ingest = ingest;
            this.token = token;
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

        /**
         * One job that holds the scorer for minutes (OBSPA with an agreement search on a large model) at the start
         * of the run: the stages must stay up and take the jobs behind it.
         */
        Submission uploadLong(Path model) throws IOException {
            String name = "long-" + model.getFileName();
            byte[] bytes = Files.readAllBytes(model);
            String job = IngestClient.upload(ingest, token, HttpRequest.BodyPublishers.ofByteArray(bytes), "?name=" + URLEncoder.encode(name,
                    StandardCharsets.UTF_8) + "&criterion=obspa&target=" + URLEncoder.encode("macs=0.5,agreement=0.95", StandardCharsets.UTF_8));
            return new Submission(job, name, ModelMix.LARGE, false, 0, null);
        }

        private Submission upload() {
            long at = System.currentTimeMillis() - startedAtMs;
            ModelMix.Upload u;
            try {
                u = mix.next();
            } catch (IOException e) {
                return new Submission("", "?", "?", false, at, "cannot read the model: " + e.getMessage());
            }
            try {
                String job = IngestClient.upload(ingest, token, HttpRequest.BodyPublishers.ofByteArray(u.bytes()),
                        "?name=" + URLEncoder.encode(u.name(), StandardCharsets.UTF_8));
                return new Submission(job, u.name(), u.sizeClass(), u.corrupt(), at, null);
            } catch (RuntimeException e) {
                // a corrupt model may be refused at upload already: that is an answer, not a loss
                return new Submission("", u.name(), u.sizeClass(), u.corrupt(), at, e.getMessage());
            }
        }
    }
}
