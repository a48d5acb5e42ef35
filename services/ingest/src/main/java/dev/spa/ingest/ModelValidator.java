package dev.spa.ingest;

import dev.spa.events.JobAccepted;
import dev.spa.events.ModelRegistered;
import dev.spa.events.PruningRequest;
import dev.spa.ir.Model;
import dev.spa.platform.JobKeys;
import dev.spa.platform.JobModels;
import dev.spa.platform.JobRejected;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.Policies;
import dev.spa.platform.Requests;
import dev.spa.platform.StoredModel;

/**
 * Checks a registered model before any work is spent on it: the addresses (model, calibration and
 * evaluation data) against the allow-list, that the object and the data files its tensors name (external data)
 * exist beside it, their size together and the .onnx file's checksum, that the engine's loader (which checks every
 * tensor against its data file) and ONNX Runtime accept it; then copies it, data files too, under the job's own key. Every refusal is a {@link JobRejected} with a code and the engine's reason.
 */
public final class ModelValidator {
    private final ObjectStore store;
    private final String bucket;
    private final long sizeLimit;
    private final PruningRequest defaults;
    private final SourcePolicy sources;

    public ModelValidator(ObjectStore store, String bucket, long sizeLimit, PruningRequest defaults, SourcePolicy sources) {
        this.store = store;
        this.bucket = bucket;
        this.sizeLimit = sizeLimit;
        this.defaults = defaults;
        this.sources = sources;
    }

    public JobAccepted validate(ModelRegistered event) {
        long started = System.currentTimeMillis();
        PruningRequest request = Policies.withDefaults(event.getRequest(), defaults);
        Requests.check(request);
        String uri = event.getModelUri();
        sources.checkAll(uri, request);
        try (StoredModel stored = StoredModel.fetch(store, uri, sizeLimit)) {
            String sha256 = stored.sha256();
            if (!event.getSha256().isEmpty() && !event.getSha256().equalsIgnoreCase(sha256)) {
                throw new JobRejected("CHECKSUM_MISMATCH", uri + " has SHA-256 " + sha256 + ", the event says " + event.getSha256(), false);
            }
            Model model = stored.load();
            JobModels.checkShapes(Requests.asStated(model, request), uri); // the stated input shapes name real inputs and fit them
            JobModels.checkLoads(stored);
            JobKeys keys = new JobKeys(bucket, event.getJobId());
            stored.store(store, keys.model());
            return JobAccepted.newBuilder().setJobId(event.getJobId()).setModelUri(keys.model().toString()).setSha256(sha256)
                    .setRequest(request).setBatchId(event.getBatchId())
                    .setModelBytes(stored.bytes()).setNodes(model.graph().nodes().size()).setAcceptedAtMs(System.currentTimeMillis())
                    .setRegisteredAtMs(event.getRegisteredAtMs() > 0 ? event.getRegisteredAtMs() : started)
                    .setIngestMs(System.currentTimeMillis() - started).build();
        }
    }

}
