package dev.spa.exporter;

import dev.spa.SpaException;
import dev.spa.events.PruningRequest;
import dev.spa.ir.Model;
import dev.spa.platform.JobRejected;
import dev.spa.platform.ObjectStore;
import dev.spa.platform.StoredFiles;
import dev.spa.runtime.Accuracy;
import dev.spa.runtime.SampleBatches;

import java.nio.file.Path;

/** Top-1 accuracy before and after, when the request names labelled evaluation data in the store. */
public record Evaluation(double before, double after) {
    public static final Evaluation NONE = new Evaluation(Double.NaN, Double.NaN);

    public static Evaluation of(ObjectStore store, PruningRequest request, Model original, Model pruned) {
        if (request.getEvaluationInputsUri().isEmpty()) {
            return NONE;
        }
        Path inputs = null;
        Path labels = null;
        try {
            inputs = StoredFiles.fetch(store, request.getEvaluationInputsUri(), "evaluation inputs", "EVALUATION_DATA_NOT_FOUND");
            labels = StoredFiles.fetch(store, request.getEvaluationLabelsUri(), "evaluation labels", "EVALUATION_DATA_NOT_FOUND");
            SampleBatches samples = SampleBatches.fromFile(inputs, SampleBatches.sampleShape(original));
            long[] y = SampleBatches.readLabels(labels);
            return new Evaluation(Accuracy.top1(original, samples, y), Accuracy.top1(pruned, samples, y));
        } catch (JobRejected e) {
            throw e;
        } catch (SpaException e) {
            throw new JobRejected("BAD_EVALUATION_DATA", e.getMessage(), false, e);
        } finally {
            StoredFiles.delete(inputs);
            StoredFiles.delete(labels);
        }
    }
}
