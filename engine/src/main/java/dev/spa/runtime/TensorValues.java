package dev.spa.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.spa.SpaException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * Runtime tensors to and from the float arrays the engine passes around, whatever their element type: models
 * end in ArgMax or TopK indices (int64), masks (bool) or doubles as often as in float scores, and comparing the
 * pruned model with the original must read them all (an index that changes is a changed answer); language
 * models take token ids and masks as int64 inputs (held as floats: exact below 2^24, far above any vocabulary).
 */
final class TensorValues {
    private TensorValues() {
    }

    /** An input tensor of the element type the model declares for it, from float values. */
    static OnnxTensor tensor(OrtEnvironment env, String name, float[] values, long[] shape, OnnxJavaType type) throws OrtException {
        switch (type) {
            case FLOAT -> {
                // a native-order direct buffer, which ONNX Runtime takes as it is: handed a heap array, its Java API copies
                // element by element (1.8 ms for one 224x224 image, 40% of SqueezeNet's own run time on a 2-core EPYC)
                FloatBuffer b = ByteBuffer.allocateDirect(Float.BYTES * values.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
                b.put(values).rewind();
                return OnnxTensor.createTensor(env, b, shape);
            }
            case INT64 -> {
                LongBuffer b = ByteBuffer.allocateDirect(Long.BYTES * values.length).order(ByteOrder.nativeOrder()).asLongBuffer();
                for (float v : values) {
                    b.put(Math.round(v));
                }
                return OnnxTensor.createTensor(env, b.rewind(), shape);
            }
            case INT32 -> {
                IntBuffer b = ByteBuffer.allocateDirect(Integer.BYTES * values.length).order(ByteOrder.nativeOrder()).asIntBuffer();
                for (float v : values) {
                    b.put(Math.round(v));
                }
                return OnnxTensor.createTensor(env, b.rewind(), shape);
            }
            case DOUBLE -> {
                DoubleBuffer b = ByteBuffer.allocateDirect(Double.BYTES * values.length).order(ByteOrder.nativeOrder()).asDoubleBuffer();
                for (float v : values) {
                    b.put(v);
                }
                return OnnxTensor.createTensor(env, b.rewind(), shape);
            }
            case BOOL -> {
                ByteBuffer b = ByteBuffer.allocateDirect(values.length).order(ByteOrder.nativeOrder());
                for (float v : values) {
                    b.put((byte) (v != 0 ? 1 : 0));
                }
                return OnnxTensor.createTensor(env, b.rewind(), shape, OnnxJavaType.BOOL);
            }
            default -> throw new SpaException("input '" + name + "' takes " + type + " values, which SPA cannot feed;"
                    + " it feeds float, double, int32, int64 and bool inputs");
        }
    }

    static float[] asFloats(String name, OnnxTensor t) {
        switch (t.getInfo().type) {
            case FLOAT, FLOAT16, BFLOAT16 -> {
                FloatBuffer b = t.getFloatBuffer();
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
