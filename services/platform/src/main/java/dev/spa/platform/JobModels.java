package dev.spa.platform;

import dev.spa.SpaException;
import dev.spa.groups.Analysis;
import dev.spa.ir.InvalidModelException;
import dev.spa.ir.Model;
import dev.spa.rules.OperatorRules;
import dev.spa.rules.ShapeInference;
import dev.spa.runtime.ExecutionProvider;
import dev.spa.runtime.OnnxRunner;
import java.nio.file.Path;

/**
 * A model read from the store (ingest's registered model, a later stage's job copy) and loaded by
 * the engine, with its analysis; every refusal is a {@link JobRejected} that names the object.
 */
public final class JobModels {
    private JobModels() {
    }

    /** The model at {@code uri} with its external data, if any, loaded by the engine. */
    public static Model load(ObjectStore store, String uri) {
        try (StoredModel stored = StoredModel.fetch(store, uri, Long.MAX_VALUE)) {
            return stored.load();
        }
    }

    /** The model's size, without reading it; a bad address or a missing object is a bad message (dead-lettered too). */
    public static long size(ObjectStore store, String uri) {
        S3Uri at = address(uri);
        try {
            return store.size(at);
        } catch (ObjectNotFoundException e) {
            throw new JobRejected("MODEL_NOT_FOUND", e.getMessage(), true);
        }
    }

    /** The object written into {@code file}; refused as {@link #size} refuses. */
    static void download(ObjectStore store, S3Uri at, Path file) {
        try {
            store.download(at, file);
        } catch (ObjectNotFoundException e) {
            throw new JobRejected("MODEL_NOT_FOUND", e.getMessage(), true);
        }
    }

    static S3Uri address(String uri) {
        try {
            return S3Uri.parse(uri);
        } catch (SpaException e) {
            throw new JobRejected("BAD_MODEL_URI", e.getMessage(), true);
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
    public static void checkLoads(StoredModel model) {
        String uri = model.toString();
        try (OnnxRunner session = new OnnxRunner(model.file(), 1, ExecutionProvider.CPU)) {
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
