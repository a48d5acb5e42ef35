package dev.spa.platform;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate's order and arithmetic, on real threads; "still waiting" is a bounded wait that must time out. */
class SharesTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private Future<Shares.Held> acquire(Shares slots, long cores) {
        return threads.submit(() -> slots.acquire(cores));
    }

    private static void stillWaiting(Future<?> f) {
        assertThrows(TimeoutException.class, () -> f.get(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void twoOneCoreJobsRunTogetherOnTwoCoresAndAThirdWaits() throws Exception {
        Shares slots = new Shares(2);
        Shares.Held a = slots.acquire(1);
        Shares.Held b = slots.acquire(1);
        assertEquals(0, slots.free());
        Future<Shares.Held> c = acquire(slots, 1);
        stillWaiting(c);
        a.close();
        assertEquals(1, c.get(5, TimeUnit.SECONDS).taken());
        b.close();
        c.get().close();
        assertEquals(2, slots.free());
    }

    @Test
    void aJobThatNeedsEveryCoreWaitsForTheRunningOnesAndTheLaterSmallOnesWaitBehindIt() throws Exception {
        Shares slots = new Shares(2);
        Shares.Held small = slots.acquire(1);
        Future<Shares.Held> large = acquire(slots, Integer.MAX_VALUE);
        stillWaiting(large);
        Future<Shares.Held> later = acquire(slots, 1);
        stillWaiting(later); // one core is free, but the large job asked first
        small.close();
        Shares.Held l = large.get(5, TimeUnit.SECONDS);
        assertEquals(2, l.taken(), "more than there are means all of them");
        stillWaiting(later);
        l.close();
        later.get(5, TimeUnit.SECONDS).close();
        assertEquals(2, slots.free());
    }

    @Test
    void anInterruptedWaiterLeavesTheQueueAndClosingTwiceGivesBackOnce() throws Exception {
        Shares slots = new Shares(2);
        Shares.Held all = slots.acquire(2);
        CompletableFuture<Thread> waiter = new CompletableFuture<>();
        Future<Boolean> interrupted = threads.submit(() -> {
            waiter.complete(Thread.currentThread());
            try {
                slots.acquire(2);
                return false;
            } catch (InterruptedException e) {
                return true;
            }
        });
        Thread t = waiter.get(5, TimeUnit.SECONDS);
        stillWaiting(interrupted);
        t.interrupt();
        assertTrue(interrupted.get(5, TimeUnit.SECONDS));
        Future<Shares.Held> next = acquire(slots, 1);
        stillWaiting(next);
        all.close();
        all.close();
        next.get(5, TimeUnit.SECONDS).close();
        assertEquals(2, slots.free());
        assertFalse(slots.free() > slots.capacity());
    }
}
