package dev.spa.exporter;

import dev.spa.SpaException;
import dev.spa.ir.Model;
import dev.spa.ir.ModelFiles;
import dev.spa.platform.StoredModel;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The pruned model written to disk beside the original it came from, in the original's form: with a data file
 * ({@code pruned.onnx.data}) when the original had external data or the pruned model is over 2 GiB, in one file
 * otherwise. ONNX Runtime checks it from there and the store receives it from there, with no serialised copy in the heap.
 */
final class PrunedFiles {
    private PrunedFiles() {
    }

    static ModelFiles write(Model cut, StoredModel original) {
        Path file = original.folder().resolve("pruned").resolve("pruned.onnx");
        try {
            cut.write(file, original.hasExternalData() || cut.tensorBytes() > Model.MAX_INLINE_BYTES);
        } catch (IOException e) {
            throw new SpaException("cannot write the pruned model to " + file + ": " + e.getMessage(), e);
        }
        return ModelFiles.of(file);
    }
}
