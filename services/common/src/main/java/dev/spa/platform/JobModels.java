package dev.spa.platform;

import dev.spa.SpaException;
import dev.spa.deps.Analysis;
import dev.spa.ir.InvalidModelException;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.rules.OperatorRules;
import dev.spa.runtime.OnnxRunner;
import dev.spa.rules.ShapeInference;

/**
 * A model read from the store (ingest's registered model, a later stage's job copy) and loaded by
 * the engine, with its analysis; every refusal is a {@link JobRejected} that names the object.
 */
public final class JobModels {
    private JobModels() {
    }

    public static Model load(ObjectStore store, String uri) {
        return parse(read(store, uri), uri, Long.MAX_VALUE);
    }

    /** The model's bytes; a bad address or a missing object is a bad message (dead-lettered too). */
    public static byte[] read(ObjectStore store, String uri) {
        S3Uri at = address(uri);
        try {
            return store.get(at);
        } catch (ObjectNotFoundException e) {
            throw new JobRejected("MODEL_NOT_FOUND", e.getMessage(), true);
        }
    }

    /** The model's size, without reading it; refused as {@link #read} refuses. */
    public static long size(ObjectStore store, String uri) {
        S3Uri at = address(uri);
        try {
            return store.size(at);
        } catch (ObjectNotFoundException e) {
            throw new JobRejected("MODEL_NOT_FOUND", e.getMessage(), true);
        }
    }

    private static S3Uri address(String uri) {
        try {
            return S3Uri.parse(uri);
        } catch (SpaException e) {
            throw new JobRejected("BAD_MODEL_URI", e.getMessage(), true);
        }
    }

    /** The engine's loader on those bytes, with its size limit; what it refuses is INVALID_MODEL. */
    public static Model parse(byte[] bytes, String uri, long sizeLimit) {
        try {
            return new ModelLoader(sizeLimit).load(bytes, null, uri);
        } catch (SpaException e) {
            throw new JobRejected("INVALID_MODEL", e.getMessage(), false, e);
        }
    }

    /** The format rules only shapes show (a Conv whose input channels disagree with its weight): INVALID_MODEL at ingest. */
    public static void checkShapes(Model model, String uri) {
        try {
            ShapeInference.infer(model.graph(), OperatorRules.standard());
        } catch (InvalidModelException e) {
            throw new JobRejected("INVALID_MODEL", "model '" + uri + "': " + e.getMessage(), false, e);
        }
    }

    /** ONNX Runtime loads the model (a session is made and closed): what no runtime would take is INVALID_MODEL here, not later. */
    public static void checkLoads(byte[] bytes, String uri) {
        try (OnnxRunner session = new OnnxRunner(bytes, 1)) {
            session.inputShapes(1);
        } catch (SpaException e) {
            throw new JobRejected("INVALID_MODEL", "model '" + uri + "': " + e.getMessage(), false, e);
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
