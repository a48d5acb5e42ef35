package dev.spa.cli;

import dev.spa.latency.LatencyModels;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.LatencyRuntime;

import java.nio.file.Path;
import java.util.Set;

/**
 * The prune command's runtime for a latency target: {@code --latency-provider auto|cpu|cuda}, {@code --latency-threads T}
 * and {@code --latency-batch B} (default: the CPU provider, 2 threads, batch 1, as the platform's exporter measures), and
 * {@code --latency-cache DIR} where measured latency models are kept (default {@code ~/.cache/spa/latency}).
 */
final class LatencyOptions {
    static final Set<String> VALUED = Set.of("latency-provider", "latency-threads", "latency-batch", "latency-cache");

    private LatencyOptions() {
    }

    static LatencyRuntime runtime(Args args) {
        ExecutionProvider provider = ExecutionProvider.choose(args.get("latency-provider", "cpu")).provider();
        return new LatencyRuntime(provider, (int) args.number("latency-threads", LatencyRuntime.DEFAULT.threads()),
                (int) args.number("latency-batch", LatencyRuntime.DEFAULT.batch()));
    }

    static LatencyModels.Cache cache(Args args) {
        String dir = args.get("latency-cache", null);
        return LatencyModels.folder(dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".cache", "spa", "latency"));
    }
}
