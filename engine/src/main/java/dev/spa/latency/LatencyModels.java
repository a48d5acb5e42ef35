package dev.spa.latency;

import dev.spa.events.manifest.LatencyModelRecord;
import dev.spa.groups.Analysis;
import dev.spa.manifest.ManifestWriter;
import dev.spa.runtime.LatencyRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A model's latency model for a runtime, measured once and reused: looked up in a cache under the model's
 * SHA-256 and the runtime ({@code <sha256>-cpu-2t-b1}), measured and stored there when absent. The CLI caches
 * in a folder, the platform in its object store.
 */
public final class LatencyModels {
    private LatencyModels() {
    }

    /** Where latency models are kept between jobs. */
    public interface Cache {
        /** The stored JSON, or null. */
        String get(String key);

        void put(String key, String json);
    }

    /** A model's latency model and whether it came from the cache (false: measured now). */
    public record Obtained(LatencyModel model, boolean cached) {
        public String describe() {
            LatencyModelRecord r = model.record();
            return String.format(Locale.ROOT, "latency model on %s: %d layers, %s (%.1f s measuring)", r.getRuntimeDescription(),
                    r.getLayersCount(), cached ? "from the cache" : "measured now", r.getBuildMs() / 1000.0);
        }
    }

    public static Obtained obtain(Analysis analysis, LatencyRuntime runtime, Cache cache, Consumer<String> progress) {
        String sha256 = analysis.model().sha256();
        String key = key(sha256, runtime);
        LatencyModelRecord stored = current(cache.get(key));
        if (stored != null) {
            return new Obtained(new LatencyModel(stored, analysis), true);
        }
        LatencyModelRecord record = new LatencyModelBuilder(runtime, progress).build(analysis, sha256);
        cache.put(key, ManifestWriter.json(record));
        return new Obtained(new LatencyModel(record, analysis), false);
    }

    /**
     * The kernels' steps on a runtime, for rounding a MACs or parameter target's counts: from the full latency model when
     * one is cached, else from a cached sweep ({@code <sha256>-<runtime>-steps}), else swept now and cached.
     */
    public static Obtained steps(Analysis analysis, LatencyRuntime runtime, Cache cache, Consumer<String> progress) {
        String sha256 = analysis.model().sha256();
        String key = key(sha256, runtime);
        LatencyModelRecord stored = current(cache.get(key));
        if (stored == null) {
            stored = current(cache.get(key + "-steps"));
        }
        if (stored != null) {
            return new Obtained(new LatencyModel(stored, analysis), true);
        }
        LatencyModelRecord record = new LatencyModelBuilder(runtime, progress).buildSteps(analysis, sha256);
        cache.put(key + "-steps", ManifestWriter.json(record));
        return new Obtained(new LatencyModel(record, analysis), false);
    }

    /** A cached record, or null when there is none or it was measured before the whole model's step was swept (measured again). */
    private static LatencyModelRecord current(String json) {
        if (json == null) {
            return null;
        }
        LatencyModelRecord record = parse(json);
        return record.hasModelStep() ? record : null;
    }

    /** The cache key of a model (by its SHA-256) on a runtime: {@code <sha256>-cpu-2t-b1}. */
    private static String key(String sha256, LatencyRuntime runtime) {
        return sha256 + "-" + runtime.key();
    }

    /** A cache in a folder: one JSON file per model and runtime. */
    public static Cache folder(Path dir) {
        return new Cache() {
            @Override
            public String get(String key) {
                Path file = dir.resolve(key + ".json");
                try {
                    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the cached latency model " + file, e);
                }
            }

            @Override
            public void put(String key, String json) {
                try {
                    Files.createDirectories(dir);
                    Files.writeString(dir.resolve(key + ".json"), json, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the latency model cache in " + dir, e);
                }
            }
        };
    }

    public static LatencyModelRecord parse(String json) {
        return ManifestWriter.parse(json, LatencyModelRecord.newBuilder(), "the cached latency model's JSON").build();
    }
}
