package dev.spa.fuzz;

import dev.spa.SpaException;
import dev.spa.groups.Analysis;
import dev.spa.groups.Group;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.ir.Tensor;
import dev.spa.onnx.Onnx.ModelProto;
import dev.spa.plan.PruningPlan;
import dev.spa.surgery.Surgery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs mutants through the engine as `spa prune` does (load with the model's folder for external data,
 * analyse, cut a random plan, serialise) and keeps what must never happen: an exception that is not
 * the engine's own (SpaException), a case that runs past its deadline, or a tensor holding bytes read
 * from outside the model's folder.
 */
final class Fuzzer implements AutoCloseable {
    /** One case that broke a rule, with what reproduces it. */
    record Finding(long seed, long caseNumber, String what) {
    }

    record Summary(long cases, long refused, long loaded, long cut, List<Finding> findings, double seconds) {
    }

    private static final float SENTINEL = 12345.678f;
    private static final long MAX_MODEL_BYTES = 64L << 20;

    private final Path folder;
    private ExecutorService worker = newWorker();

    /** Lays out {@code root}: model/ (inside.bin, link.bin leading out, fifo.bin) and outside/secret.bin. */
    Fuzzer(Path root) throws IOException, InterruptedException {
        folder = Files.createDirectories(root.resolve("model"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        ByteBuffer secret = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        while (secret.hasRemaining()) {
            secret.putFloat(SENTINEL);
        }
        Files.write(outside.resolve("secret.bin"), secret.array());
        byte[] inside = new byte[4 * 4096];
        new Random(1).nextBytes(inside);
        Files.write(folder.resolve("inside.bin"), inside);
        Files.createSymbolicLink(folder.resolve("link.bin"), outside.resolve("secret.bin"));
        new ProcessBuilder("mkfifo", folder.resolve("fifo.bin").toString()).start().waitFor();
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
    }

    Summary run(List<ModelProto> seeds, long cases, Duration budget, Duration perCase, long seed) {
        Mutator mutator = new Mutator(seed);
        Random pick = new Random(seed ^ 0x5eed);
        List<Finding> findings = new ArrayList<>();
        long refused = 0;
        long loaded = 0;
        long cut = 0;
        long started = System.nanoTime();
        long n = 0;
        for (; n < cases && System.nanoTime() - started < budget.toNanos(); n++) {
            byte[] mutant = mutator.mutate(seeds.get(pick.nextInt(seeds.size())));
            long caseNumber = n;
            Future<Integer> result = worker.submit(() -> exercise(mutant, caseNumber));
            try {
                int depth = result.get(perCase.toMillis(), TimeUnit.MILLISECONDS);
                loaded += depth >= 1 ? 1 : 0;
                cut += depth >= 2 ? 1 : 0;
            } catch (TimeoutException e) {
                result.cancel(true);
                worker.shutdownNow();
                worker = newWorker();
                findings.add(new Finding(seed, n, "ran past the per-case deadline of " + perCase.toSeconds() + " s"));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SpaException) {
                    refused++;
                } else {
                    Throwable cause = e.getCause();
                    String where = Arrays.stream(cause.getStackTrace()).limit(3).map(StackTraceElement::toString)
                            .reduce((a, b) -> a + " < " + b).orElse("");
                    findings.add(new Finding(seed, n, cause.getClass().getName() + ": " + cause.getMessage() + " at " + where));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Summary(n, refused, loaded, cut, findings, (System.nanoTime() - started) / 1e9);
    }

    /** 0: loaded nothing prunable; 1: loaded and analysed; 2: also cut and written. */
    private int exercise(byte[] bytes, long caseNumber) {
        Model model = new ModelLoader(MAX_MODEL_BYTES).load(bytes, folder, "mutant " + caseNumber);
        for (Tensor t : model.graph().constants().values()) {
            if (t.isFloat() && t.numel() > 0 && holdsSentinel(t)) {
                throw new IllegalStateException("tensor '" + t.name() + "' holds bytes read from outside the model's folder");
            }
        }
        Analysis analysis = Analysis.of(model);
        if (analysis.prunableGroups().isEmpty()) {
            return 1;
        }
        Surgery.apply(analysis, randomPlan(analysis, caseNumber)).toBytes();
        return 2;
    }

    private static boolean holdsSentinel(Tensor t) {
        float[] v = t.floats();
        return v.length >= 4 && Arrays.stream(new int[] {0, 1, 2, 3}).allMatch(i -> v[i] == SENTINEL);
    }

    private static PruningPlan randomPlan(Analysis analysis, long seed) {
        Random random = new Random(seed);
        Map<Integer, int[]> kept = new LinkedHashMap<>();
        for (Group g : analysis.prunableGroups()) {
            int keep = 1 + random.nextInt(g.channels());
            kept.put(g.id(), random.ints(0, g.channels()).distinct().limit(keep).sorted().toArray());
        }
        return new PruningPlan(kept);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
