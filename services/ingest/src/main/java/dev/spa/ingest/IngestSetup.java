package dev.spa.ingest;

import dev.spa.events.PruningRequest;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.StoreSetup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/** Builds ingest's validator from configuration: the size limit, the addresses it may read and the per-job policy defaults. */
@ApplicationScoped
public class IngestSetup {
    @ConfigProperty(name = "spa.model.max-bytes", defaultValue = "2147483647")
    long maxBytes;

    @ConfigProperty(name = "spa.policy.criterion", defaultValue = "obspa")
    String criterion;

    @ConfigProperty(name = "spa.policy.target", defaultValue = "macs=0.5")
    String target;

    @ConfigProperty(name = "spa.policy.global", defaultValue = "true")
    boolean global;

    @ConfigProperty(name = "spa.policy.hessian-source", defaultValue = "auto")
    String hessianSource;

    @ConfigProperty(name = "spa.policy.round-to", defaultValue = "1")
    int roundTo;

    /** Kept counts rounded up to the steps the kernels run at on the job's runtime (measured): a smaller model that is also faster. */
    @ConfigProperty(name = "spa.policy.round-to-kernels", defaultValue = "true")
    boolean roundToKernels;

    /**
     * The largest model ingest takes: the configured spa.model.max-bytes, but never more than a quarter of the
     * heap, since validating a model holds it (and its parse) in memory; past it an upload gets 413.
     */
    public long modelLimit() {
        return Math.min(maxBytes, Runtime.getRuntime().maxMemory() / 4);
    }

    @ConfigProperty(name = "spa.sources.allowed")
    List<String> allowedSources;

    @Produces
    @Singleton
    SourcePolicy sources() {
        return new SourcePolicy(allowedSources);
    }

    @Produces
    @Singleton
    ModelValidator validator(ObjectStore store, StoreSetup setup, SourcePolicy sources) {
        PruningRequest defaults = PruningRequest.newBuilder().setCriterion(criterion).setTarget(target).setGlobal(global)
                .setHessianSource(hessianSource).setRoundTo(roundTo).setRoundToKernels(roundToKernels)
                .setMinChannels(1).build();
        return new ModelValidator(store, setup.bucket(), modelLimit(), defaults, sources);
    }
}
