package dev.spa.platform;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A quantity the jobs a stage runs at once share: its cores ({@link StageRunner}, {@link Stage#cores}) or its heap
 * budget ({@link MemoryBudget#reserve}). A job takes what it needs and waits, in arrival order, until that much is
 * free; arrival order keeps a job that needs all of it from being passed for ever by small ones. A job asking for
 * more than there is takes all of it.
 */
public final class Shares {
    private final long capacity;
    private long free;
    private final Deque<Object> waiting = new ArrayDeque<>();

    public Shares(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("nothing to share: a capacity of " + capacity);
        }
        this.capacity = capacity;
        this.free = capacity;
    }

    public long capacity() {
        return capacity;
    }

    /** Waits for {@code wanted} (at least 1, at most all of it) behind the jobs that asked first; close what it returns to give it back. */
    public Held acquire(long wanted) throws InterruptedException {
        long taken = Math.max(1, Math.min(capacity, wanted));
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

    /** What is free now (for metrics and tests). */
    public synchronized long free() {
        return free;
    }

    /** What one job holds; closing gives it back once. */
    public final class Held implements AutoCloseable {
        private final long taken;
        private boolean closed;

        private Held(long taken) {
            this.taken = taken;
        }

        public long taken() {
            return taken;
        }

        @Override
        public void close() {
            synchronized (Shares.this) {
                if (!closed) {
                    closed = true;
                    free += taken;
                    Shares.this.notifyAll();
                }
            }
        }
    }
}
