package dev.spa.platform;

import dev.spa.SpaException;
import dev.spa.events.JobAccepted;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Locale;

/**
 * One job's share of a stage's heap ({@code spa.stage.memory-budget-share}, 0.6 by default, the rest left to
 * the Kafka clients, the HTTP server and the job behind). A job that would need more fails at once with
 * MEMORY_BUDGET_EXCEEDED and the numbers, before anything large is read, instead of taking the service down.
 */
@ApplicationScoped
public class MemoryBudget {
    /**
     * The engine holds a model at most this many times its stored size while loading, analysing, pruning and
     * writing it: bench/min-heap measured 3.1-4.0x for a whole CLI prune of the shared models (BENCHMARKS.md).
     */
    public static final int MODEL_COPIES = 4;
    private static final long FIXED_BYTES = 16L << 20;

    @ConfigProperty(name = "spa.stage.memory-budget-share", defaultValue = "0.6")
    double share;

    public long bytes() {
        return (long) (share * Runtime.getRuntime().maxMemory());
    }

    /** Refuses the job if {@code need} bytes exceed the budget; {@code what} says what needs them, {@code remedy} what to do. */
    public void require(long need, String what, String remedy) {
        need += FIXED_BYTES;
        long budget = bytes();
        if (need > budget) {
            throw new JobRejected("MEMORY_BUDGET_EXCEEDED", String.format(Locale.ROOT,
                    "%s needs about %.0f MB, over this stage's budget of %.0f MB (spa.stage.memory-budget-share %.2f of a %.0f MB heap): %s",
                    what, need / 1e6, budget / 1e6, share, Runtime.getRuntime().maxMemory() / 1e6, remedy), false);
        }
    }

    /** The budget as the jobs running now share it ({@link #reserve}); made on first use, once the share is configured. */
    private Shares running;

    private synchronized Shares running() {
        if (running == null) {
            running = new Shares(bytes());
        }
        return running;
    }

    /**
     * As {@link #require}, and holds the bytes until what it returns is closed: where a stage runs jobs side by side, a
     * job whose need does not fit beside the others' waits until it does (it fits alone, or it failed above), instead
     * of running them all out of memory together.
     */
    public Shares.Held reserve(long need, String what, String remedy) {
        require(need, what, remedy);
        try {
            return running().acquire(need + FIXED_BYTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpaException("stopped while waiting for memory: the work was interrupted (its deadline passed or the"
                    + " service is stopping)");
        }
    }

    /** Bytes the running jobs hold now. */
    public long reserved() {
        return running().capacity() - running().free();
    }

    /**
     * Checks, from the model's size alone (with its data files, as ingest measured it), that the job's model fits when
     * held {@code copies} times over; returns the size.
     */
    public long requireModel(ObjectStore store, JobAccepted job, int copies) {
        long size = job.getModelBytes() > 0 ? job.getModelBytes() : JobModels.size(store, job.getModelUri());
        require(size * copies, String.format(Locale.ROOT, "holding this %.0f MB model (%dx its size)", size / 1e6, copies),
                "give this stage a larger heap");
        return size;
    }
}
