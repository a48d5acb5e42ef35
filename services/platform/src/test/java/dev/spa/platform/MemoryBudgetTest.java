package dev.spa.platform;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jobs side by side hold what they reserved; one that does not fit beside them waits, one that never fits fails. */
class MemoryBudgetTest {
    private static MemoryBudget budget() {
        MemoryBudget b = new MemoryBudget();
        b.share = 0.5;
        return b;
    }

    @Test
    void aJobThatDoesNotFitBesideTheRunningOneWaitsForItAndOneThatNeverFitsFails() throws Exception {
        MemoryBudget budget = budget();
        long third = budget.bytes() / 3;
        Shares.Held first = budget.reserve(third, "first", "");
        Shares.Held second = budget.reserve(third, "second", "");
        ExecutorService threads = Executors.newSingleThreadExecutor();
        Future<Shares.Held> third3 = threads.submit(() -> budget.reserve(third, "third", ""));
        assertThrows(TimeoutException.class, () -> third3.get(200, TimeUnit.MILLISECONDS), "three thirds and the fixed part do not fit");
        first.close();
        first.close();
        third3.get(5, TimeUnit.SECONDS).close();
        second.close();
        assertEquals(0, budget.reserved());
        JobRejected tooLarge = assertThrows(JobRejected.class, () -> budget.reserve(budget.bytes(), "everything", "a larger heap"));
        assertTrue(tooLarge.getMessage().contains("everything") && tooLarge.code().equals("MEMORY_BUDGET_EXCEEDED"), tooLarge.getMessage());
        threads.shutdownNow();
    }
}
