package dev.spa.platform;

import dev.spa.SpaException;
import dev.spa.deps.Analysis;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;

/** A job's model read back from the store by a later stage, with its analysis; every refusal names the job's object. */
public final class JobModels {
    private JobModels() {
    }

    public static Model load(ObjectStore store, String uri) {
        S3Uri at;
        try {
            at = S3Uri.parse(uri);
        } catch (SpaException e) {
            throw new JobRejected("BAD_MODEL_URI", e.getMessage(), true);
        }
        byte[] bytes;
        try {
            bytes = store.get(at);
        } catch (ObjectNotFoundException e) {
            throw new JobRejected("MODEL_NOT_FOUND", e.getMessage(), true);
        }
        try {
            return new ModelLoader(Long.MAX_VALUE).load(bytes, null, at.toString());
        } catch (SpaException e) {
            throw new JobRejected("INVALID_MODEL", e.getMessage(), false, e);
        }
    }

    public static Analysis analyse(Model model) {
        try {
            return Analysis.of(model);
        } catch (SpaException e) {
            throw new JobRejected("ANALYSIS_FAILED", e.getMessage(), false, e);
        }
    }
}
