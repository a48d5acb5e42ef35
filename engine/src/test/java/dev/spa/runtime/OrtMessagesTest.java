package dev.spa.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ONNX Runtime's errors reach users without the build's source paths and C++ signatures. */
class OrtMessagesTest {
    @Test
    void sourceLocationsAndSignaturesAreDropped() {
        String raw = "Error code - ORT_INVALID_GRAPH - message - Load model from /tmp/m.onnx failed:/onnxruntime_src/onnxruntime/core/graph/"
                + "graph.cc:1489 void onnxruntime::Graph::InitializeStateFromModelFileGraphProto(bool) This is an invalid model. "
                + "Error: two nodes with same node name (Conv_0).";
        assertEquals("Load model from /tmp/m.onnx failed:This is an invalid model. Error: two nodes with same node name (Conv_0).",
                OrtMessages.clean(raw));
    }

    @Test
    void aPlainMessageIsKept() {
        assertEquals("Shape mismatch", OrtMessages.clean("Shape mismatch"));
    }
}
