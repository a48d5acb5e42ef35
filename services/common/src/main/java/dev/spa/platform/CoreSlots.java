package dev.spa.platform;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A stage's cores shared between the jobs it runs at once: a job takes the cores it keeps busy (one for a job
 * that runs on a single thread, all of them for one that fills the machine or times a model) and waits, in
 * arrival order, until that many are free. Arrival order keeps a job that needs every core from being passed
 * for ever by small ones; a job asking for more than there are takes them all.
 */
public final class CoreSlots {
    private final int cores;
    private int free;
    private final Deque<Object> waiting = new ArrayDeque<>();

    public CoreSlots(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("a stage needs at least one core, got " + cores);
        }
        this.cores = cores;
        this.free = cores;
    }

    public int cores() {
        return cores;
    }

    /** Waits for {@code wanted} cores (at most all of them) behind the jobs that asked first; close what it returns to give them back. */
    public Held acquire(int wanted) throws InterruptedException {
        int taken = Math.max(1, Math.min(cores, wanted));
        Object ticket = new Object();
        synchronized (this) {
            waiting.addLast(ticket);
            try {
                while (waiting.peekFirst() != ticket || free < taken) {
                    wait();
                }
            } catch (InterruptedException e) {
                waiting.remove(ticket);
                notifyAll(); // the job behind may be first now
                throw e;
            }
            waiting.removeFirst();
            free -= taken;
            notifyAll(); // the next in line may fit in what is left
        }
        return new Held(taken);
    }

    /** Cores free now (for metrics and tests). */
    public synchronized int free() {
        return free;
    }

    /** Cores held by one job; closing gives them back once. */
    public final class Held implements AutoCloseable {
        private final int taken;
        private boolean closed;

        private Held(int taken) {
            this.taken = taken;
        }

        public int taken() {
            return taken;
        }

        @Override
        public void close() {
            synchronized (CoreSlots.this) {
                if (!closed) {
                    closed = true;
                    free += taken;
                    CoreSlots.this.notifyAll();
                }
            }
        }
    }
}
