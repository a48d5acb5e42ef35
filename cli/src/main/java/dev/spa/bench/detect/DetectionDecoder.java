package dev.spa.bench.detect;

import dev.spa.runtime.Outputs;

import java.util.List;

/** Turns a detector's raw outputs for a batch of images into each image's final detections. */
public interface DetectionDecoder {
    List<List<Detection>> decode(Outputs outputs, int images);
}
