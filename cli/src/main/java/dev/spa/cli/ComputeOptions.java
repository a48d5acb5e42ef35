package dev.spa.cli;

import dev.spa.linalg.LinalgBackend;
import dev.spa.policy.Compute;
import dev.spa.runtime.ExecutionProvider;

import java.io.PrintStream;
import java.util.Set;

/** The prune command's {@code --backend auto|cpu|cuda|java}, {@code --capture auto|cpu|cuda} and {@code --gpu-memory-mb N}. */
final class ComputeOptions {
    static final Set<String> VALUED = Set.of("backend", "capture", "gpu-memory-mb");

    private ComputeOptions() {
    }

    /** Chooses both, and says on {@code err} what was chosen and why. */
    static Compute compute(Args args, PrintStream err) {
        LinalgBackend.Choice linalg = LinalgBackend.choose(args.get("backend", "auto"),
                (long) (args.number("gpu-memory-mb", 4096) * 1024 * 1024));
        ExecutionProvider.Choice capture = ExecutionProvider.choose(args.get("capture", "auto"));
        err.println("linear algebra: " + linalg.kind() + " (" + linalg.reason() + "); activation capture: "
                + capture.provider().name().toLowerCase() + " (" + capture.reason() + ")");
        return new Compute(linalg.linalg(), capture.provider());
    }
}
