package dev.spa.bench.detect;

import dev.spa.runtime.ModelOutputs;

import java.util.List;

/** Turns a detector's raw outputs for a batch of images into each image's final detections. */
public interface DetectionDecoder {
    List<List<Detection>> decode(ModelOutputs outputs, int images);
}
