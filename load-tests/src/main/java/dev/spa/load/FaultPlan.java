package dev.spa.load;

import dev.spa.local.LocalStack;

import java.util.List;

/**
 * The faults of a {@code --fault} run, on a thread of their own: at a quarter of the window the scorer
 * is killed (SIGKILL, as a crash) and restarted, at half the exporter is stopped (SIGTERM, as a rolling
 * update) and restarted, at three quarters grouping is killed and restarted.
 */
final class FaultPlan extends Thread {
    private final LocalStack stack;
    private final long startedAtMs;
    private final long windowMs;
    private final List<LoadReport.Fault> log;

    FaultPlan(LocalStack stack, long startedAtMs, long windowMs, List<LoadReport.Fault> log) {
        super("load-test-faults");
        setDaemon(true);
        this.stack = stack;
        this.startedAtMs = startedAtMs;
        this.windowMs = windowMs;
        this.log = log;
    }

    @Override
    public void run() {
        try {
            at(windowMs / 4, "scorer killed", () -> stack.killService("scorer"));
            restart("scorer");
            at(windowMs / 2, "exporter stopped", () -> stack.stopService("exporter"));
            restart("exporter");
            at(windowMs * 3 / 4, "grouping killed", () -> stack.killService("grouping"));
            restart("grouping");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void at(long offsetMs, String what, Runnable fault) throws InterruptedException {
        Thread.sleep(Math.max(0, startedAtMs + offsetMs - System.currentTimeMillis()));
        fault.run();
        note(what);
    }

    private void restart(String service) {
        stack.startService(service);
        note(service + " ready again");
    }

    private void note(String what) {
        long at = System.currentTimeMillis() - startedAtMs;
        log.add(new LoadReport.Fault(at, what));
        System.out.printf("%.0f s: %s%n", at / 1e3, what);
    }
}
