package dev.spa.local;

import com.google.protobuf.util.JsonFormat;
import dev.spa.events.Cost;
import dev.spa.events.JobReport;
import dev.spa.events.JobStatus;
import dev.spa.events.ModelPruned;
import dev.spa.events.Timing;
import dev.spa.ir.ModelFiles;
import dev.spa.platform.ModelUpload;
import dev.spa.platform.S3Uri;
import dev.spa.runtime.LatencyComparison;
import dev.spa.testkit.IngestClient;
import dev.spa.text.Table;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code deploy/local/run [model.onnx] [--target macs=0.5] [--criterion obspa] [--input-mean M --input-std S] [--input-shape NAME=D0,D1,...]...
 * [--eval-inputs X.f32 --eval-labels Y.i64] [--keep-running]}: starts the local stack, uploads the model
 * (and labelled evaluation data) through ingest's {@code POST /models}, follows {@code GET /jobs/{id}}
 * to the end, prints the before/after table from the job's report, the agreement the quality guard
 * measured, the input statistics the job assumed and where the pruned model is, then stops everything
 * (or keeps serving until Ctrl-C). With no model named it prunes the ONNX Model Zoo's trained MNIST
 * CNN and evaluates it on the first 1000 MNIST test images, with MNIST's pixel statistics stated.
 */
public final class RunLocal {

    private RunLocal() {
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("spa.shared.dir", "../shared"));
        Path model = null;
        String query = "";
        Path evalInputs = null;
        Path evalLabels = null;
        boolean keepRunning = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--target", "--criterion", "--hessian", "--input-mean", "--input-std", "--quality-floor", "--input-shape", "--best-effort" ->
                        query += "&" + args[i].substring(2) + "=" + URLEncoder.encode(args[++i], StandardCharsets.UTF_8);
                case "--eval-inputs" -> evalInputs = Path.of(args[++i]);
                case "--eval-labels" -> evalLabels = Path.of(args[++i]);
                case "--keep-running" -> keepRunning = true;
                default -> model = Path.of(args[i]);
            }
        }
        if (model == null) {
            model = shared.resolve("models").resolve("mnist_cnn_zoo.onnx");
            evalInputs = shared.resolve("data").resolve("mnist_test1000_x.f32");
            evalLabels = shared.resolve("data").resolve("mnist_test1000_y.i64");
            query += query.contains("input-mean") ? "" : "&input-mean=0.1307&input-std=0.3081";
        }
        if (!Files.isRegularFile(model)) {
            System.err.println("no model at " + model + ": name one (deploy/local/run path/to/model.onnx)");
            System.exit(2);
        }
        Path dir = Path.of("out", "local-stack").toAbsolutePath();
        System.out.println("starting Kafka, S3 and the four services (logs in " + dir.resolve("logs") + ") ...");
        LocalStack stack = LocalStack.start(dir, Path.of(System.getProperty("spa.services.dir", "services")));
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close));
        System.out.printf("Kafka %s, S3 %s, ingest %s%n", stack.bootstrapServers(), stack.s3Endpoint(), stack.url("ingest"));

        String name = model.getFileName().toString();
        if (evalInputs != null && evalLabels != null) {
            S3Uri x = new S3Uri("spa", "evaluation/" + evalInputs.getFileName());
            S3Uri y = new S3Uri("spa", "evaluation/" + evalLabels.getFileName());
            stack.store().put(x, Files.readAllBytes(evalInputs), "application/octet-stream");
            stack.store().put(y, Files.readAllBytes(evalLabels), "application/octet-stream");
            query += "&evaluation-inputs=" + URLEncoder.encode(x.toString(), StandardCharsets.UTF_8)
                    + "&evaluation-labels=" + URLEncoder.encode(y.toString(), StandardCharsets.UTF_8);
        }
        String jobId = submit(stack, model, query);
        System.out.println("job " + jobId + ": follow it at " + stack.url("ingest") + "/jobs/" + jobId);
        JobStatus status = follow(stack, jobId);
        int rc = 0;
        if (status.getState() == JobStatus.State.DONE) {
            JobReport.Builder report = JobReport.newBuilder();
            JsonFormat.parser().merge(new String(stack.store().get(new S3Uri("spa", "jobs/" + jobId + "/report.json")), StandardCharsets.UTF_8), report);
            Path local = Path.of("out", name.replace(".onnx", "") + "-pruned.onnx");
            Files.createDirectories(local.getParent());
            S3Uri pruned = S3Uri.parse(report.getResult().getPrunedModelUri());
            stack.store().download(pruned, local);
            ModelFiles prunedFiles = ModelFiles.of(local);
            for (Path data : prunedFiles.data()) {
                stack.store().download(pruned.sibling(prunedFiles.location(data)), data);
            }
            System.out.print(table(report.getResult()));
            System.out.printf("%ncriterion %s, target %s; output deviation on random inputs %.3g%n", report.getRequest().getCriterion(),
                    report.getRequest().getTarget(), report.getResult().getOutputDeviation());
            var agreement = report.getResult().getAgreement();
            System.out.printf("quality guard: %s %.3f (floor %.3f) on %d %s%n", agreement.getMeasure(), agreement.getScore(),
                    agreement.getFloor(), agreement.getSamples(), agreement.getReference());
            System.out.println("input statistics assumed: " + report.getInputStatistics());
            var t = report.getResult().getTimings();
            System.out.printf("stages: ingest %d ms, grouping %d ms, scoring %d ms, export %d ms; end to end %d ms%n",
                    t.getIngestMs(), t.getGroupingMs(), t.getScoringMs(), t.getExportMs(), t.getEndToEndMs());
            System.out.println("pruned model: " + report.getResult().getPrunedModelUri() + " (copied to " + local + ")");
            System.out.println("report: " + report.getResult().getReportUri() + ", plan: " + report.getResult().getPlanUri());
        } else {
            System.out.println("the job failed at " + status.getStage() + ": " + status.getDetail());
            rc = 1;
        }
        if (keepRunning) {
            System.out.println("the stack keeps running; Ctrl-C stops it");
            Thread.currentThread().join();
        }
        System.exit(rc);
    }

    /**
     * Uploads the model as a user does (POST /models with the file as the body); one with external data (data files
     * beside the .onnx) goes into the registry bucket, data files first, and is registered by its address (uri=).
     */
    private static String submit(LocalStack stack, Path model, String query) throws Exception {
        String name = model.getFileName().toString();
        ModelFiles files = ModelFiles.of(model);
        if (!files.hasExternalData()) {
            return IngestClient.upload(stack.url("ingest"), stack.apiToken(), HttpRequest.BodyPublishers.ofFile(model),
                    "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + query);
        }
        S3Uri at = new S3Uri("registry", "local/" + name);
        stack.store().ensureBucket("registry");
        System.out.printf("putting %s and its data files (%d bytes in all) beside %s%n", name, files.bytes(), at);
        ModelUpload.store(stack.store(), files, at);
        return IngestClient.upload(stack.url("ingest"), stack.apiToken(), HttpRequest.BodyPublishers.noBody(),
                "?uri=" + URLEncoder.encode(at.toString(), StandardCharsets.UTF_8) + query);
    }

    /** Polls the job's status until it is DONE or FAILED, printing each new state. */
    private static JobStatus follow(LocalStack stack, String jobId) throws Exception {
        String last = "";
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = IngestClient.status(stack.url("ingest"), stack.apiToken(), jobId);
            if (r.statusCode() == 200) {
                JobStatus.Builder status = JobStatus.newBuilder();
                JsonFormat.parser().merge(r.body(), status);
                if (!status.getState().name().equals(last)) {
                    last = status.getState().name();
                    System.out.println("  " + last + ": " + status.getDetail());
                    if (last.equals("DONE") || last.equals("FAILED")) {
                        return status.build();
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("job " + jobId + " did not end within 30 minutes; last state " + last);
    }

    static String table(ModelPruned result) {
        Cost a = result.getBefore();
        Cost b = result.getAfter();
        Table t = new Table("", "before", "after", "after/before");
        t.row("parameters", Table.millions(a.getParams()), Table.millions(b.getParams()), Table.percent((double) b.getParams() / a.getParams()));
        t.row("MACs", Table.millions(a.getMacs()), Table.millions(b.getMacs()), Table.percent((double) b.getMacs() / a.getMacs()));
        t.row("latency, batch 1, median (ms)", String.format("%.2f", a.getLatencyMsBatch1()), String.format("%.2f", b.getLatencyMsBatch1()),
                Table.percent(b.getLatencyMsBatch1() / a.getLatencyMsBatch1()));
        t.row("file bytes", a.getFileBytes(), b.getFileBytes(), Table.percent((double) b.getFileBytes() / a.getFileBytes()));
        if (!Double.isNaN(a.getAccuracy())) {
            t.row("top-1 accuracy", Table.percent(a.getAccuracy()), Table.percent(b.getAccuracy()), "");
        }
        Timing m = result.getTiming();
        LatencyComparison latency = new LatencyComparison(m.getMethod(), m.getRounds(), m.getBeforeMs(), m.getAfterMs(), m.getRatio(),
                m.getRatioLow(), m.getRatioHigh());
        return t.render() + "latency: " + latency.summary() + System.lineSeparator();
    }
}
