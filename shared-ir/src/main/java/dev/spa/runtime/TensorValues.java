package dev.spa.runtime;

import ai.onnxruntime.OnnxTensor;
import dev.spa.SpaException;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * A runtime output as floats, whatever its element type: models end in ArgMax or TopK indices (int64), masks
 * (bool) or doubles as often as in float scores, and comparing the pruned model with the original must read
 * them all (an index that changes is a changed answer).
 */
final class TensorValues {
    private TensorValues() {
    }

    static float[] asFloats(String name, OnnxTensor t) {
        switch (t.getInfo().type) {
            case FLOAT, FLOAT16, BFLOAT16 -> {
                java.nio.FloatBuffer b = t.getFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                return v;
            }
            case DOUBLE -> {
                DoubleBuffer b = t.getDoubleBuffer();
                float[] v = new float[b.remaining()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) b.get(i);
                }
                return v;
            }
            case INT64 -> {
                LongBuffer b = t.getLongBuffer();
                float[] v = new float[b.remaining()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.get(i);
                }
                return v;
            }
            case INT32 -> {
                IntBuffer b = t.getIntBuffer();
                float[] v = new float[b.remaining()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.get(i);
                }
                return v;
            }
            case INT8, UINT8, BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                float[] v = new float[b.remaining()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.get(i);
                }
                return v;
            }
            default -> throw new SpaException("output '" + name + "' holds " + t.getInfo().type + " values, which SPA cannot compare;"
                    + " a model's outputs must be numbers or booleans");
        }
    }
}
