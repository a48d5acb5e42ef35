package dev.spa.scorer;

import dev.spa.linalg.LinalgBackend;
import dev.spa.policy.Compute;
import dev.spa.runtime.ExecutionProvider;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Where this scorer does its work, decided once at start-up from {@code spa.scorer.backend}
 * (auto|cpu|cuda|java: OpenBLAS on the CPU where it loads, java for the hand-written kernels) and {@code spa.scorer.capture} (auto|cpu|cuda): logged, exposed as
 * {@code spa_backend{kind}} (1 for the kind in use, 0 for the other) and written into every plan.
 * A forced {@code cuda} that cannot be had stops the start-up with the reason.
 */
@Startup
@ApplicationScoped
public class ScorerCompute {
    private static final Logger LOG = Logger.getLogger(ScorerCompute.class);

    @ConfigProperty(name = "spa.scorer.backend", defaultValue = "auto")
    String backend;

    @ConfigProperty(name = "spa.scorer.capture", defaultValue = "auto")
    String capture;

    @ConfigProperty(name = "spa.scorer.gpu-memory-mb", defaultValue = "4096")
    long gpuMemoryMb;

    @Inject
    MeterRegistry metrics;

    private Compute compute;

    @PostConstruct
    void choose() {
        LinalgBackend.Choice linalg = LinalgBackend.choose(backend, gpuMemoryMb << 20);
        ExecutionProvider.Choice provider = ExecutionProvider.choose(capture);
        compute = new Compute(linalg.linalg(), provider.provider());
        LOG.infof("linear algebra: %s (%s); activation capture: %s (%s)", linalg.kind(), linalg.reason(),
                provider.provider().name().toLowerCase(), provider.reason());
        for (String kind : new String[] {"cpu", "cuda"}) {
            Gauge.builder("spa_backend", () -> kind.equals(linalg.kind()) ? 1 : 0)
                    .description("the scorer's linear algebra: 1 for the kind in use").tag("kind", kind).register(metrics);
        }
    }

    public Compute compute() {
        return compute;
    }

    /** "cpu" or "cuda", for the plan and the job report. */
    public String kind() {
        return compute.linalg().name();
    }

    void release(@Observes ShutdownEvent event) {
        if (compute.linalg() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warnf("releasing the GPU: %s", e.getMessage());
            }
        }
    }
}
