package dev.spa.ir;

import com.google.protobuf.UnsafeByteOperations;
import dev.spa.SpaException;
import dev.spa.onnx.Onnx.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A constant tensor (initializer or folded Constant) held as raw little-endian bytes, so slicing
 * along an axis works the same for every element type; typed views are made on demand.
 */
public final class Tensor {
    private final String name;
    private final int dataType;
    private final long[] dims;
    private final byte[] raw;

    public Tensor(String name, int dataType, long[] dims, byte[] raw) {
        this.name = name;
        this.dataType = dataType;
        this.dims = dims.clone();
        this.raw = raw;
        long expected = Sizes.bytes("tensor '" + name + "'", dims, DataType.size(dataType));
        if (raw.length != expected) {
            throw new SpaException("tensor '" + name + "' has " + raw.length + " bytes of data, its shape "
                    + Arrays.toString(dims) + " needs " + expected);
        }
    }

    public static Tensor ofFloats(String name, long[] dims, float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return new Tensor(name, DataType.FLOAT, dims, buf.array());
    }

    public static Tensor ofLongs(String name, long[] dims, long[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return new Tensor(name, DataType.INT64, dims, buf.array());
    }

    public String name() {
        return name;
    }

    public int dataType() {
        return dataType;
    }

    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int axis) {
        return dims[axis];
    }

    /** The bytes of its data. */
    public long byteSize() {
        return raw.length;
    }

    public long numel() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    public Tensor renamed(String newName) {
        return new Tensor(newName, dataType, dims, raw);
    }

    public boolean isFloat() {
        return dataType == DataType.FLOAT;
    }

    public float[] floats() {
        requireType(DataType.FLOAT, "float32");
        float[] out = new float[(int) numel()];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Integer values of an INT64 or INT32 tensor (shape constants, axes, split sizes). */
    public long[] longs() {
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[(int) numel()];
        if (dataType == DataType.INT64) {
            buf.asLongBuffer().get(out);
        } else if (dataType == DataType.INT32) {
            for (int i = 0; i < out.length; i++) {
                out[i] = buf.getInt(i * 4);
            }
        } else {
            throw new SpaException("tensor '" + name + "' holds element type " + dataType + ", expected int64 or int32");
        }
        return out;
    }

    /** Integer values, or null for a tensor that is not int64/int32. */
    public long[] longsOrNull() {
        return dataType == DataType.INT64 || dataType == DataType.INT32 ? longs() : null;
    }

    private void requireType(int type, String what) {
        if (dataType != type) {
            throw new SpaException("tensor '" + name + "' holds element type " + dataType + ", expected " + what);
        }
    }

    /** Keeps only the given indices (in the given order) along one axis. */
    public Tensor take(int axis, int[] keep) {
        int elem = DataType.size(dataType);
        long outer = 1;
        for (int a = 0; a < axis; a++) {
            outer *= dims[a];
        }
        long inner = elem;
        for (int a = axis + 1; a < dims.length; a++) {
            inner *= dims[a];
        }
        int n = (int) dims[axis];
        byte[] out = new byte[(int) (outer * keep.length * inner)];
        int innerBytes = (int) inner;
        int pos = 0;
        for (long o = 0; o < outer; o++) {
            long base = o * n * inner;
            for (int k : keep) {
                if (k < 0 || k >= n) {
                    throw new SpaException("index " + k + " out of range for axis " + axis + " of tensor '" + name + "'");
                }
                System.arraycopy(raw, (int) (base + k * inner), out, pos, innerBytes);
                pos += innerBytes;
            }
        }
        long[] newDims = dims.clone();
        newDims[axis] = keep.length;
        return new Tensor(name, dataType, newDims, out);
    }

    /** The same elements in the same order under other dims (a Reshape, Flatten, Squeeze or Unsqueeze). */
    public Tensor reshaped(String newName, long[] newDims) {
        return new Tensor(newName, dataType, newDims, raw);
    }

    /** The elements with their axes permuted: output axis a is input axis perm[a] (a Transpose). */
    public Tensor transposed(String newName, int[] perm) {
        int elem = DataType.size(dataType);
        int rank = dims.length;
        long[] outDims = new long[rank];
        long[] inStrides = new long[rank];
        long stride = 1;
        for (int a = rank - 1; a >= 0; a--) {
            inStrides[a] = stride;
            stride *= dims[a];
        }
        for (int a = 0; a < rank; a++) {
            outDims[a] = dims[perm[a]];
        }
        byte[] out = new byte[raw.length];
        long[] index = new long[rank];
        for (long o = 0; o < numel(); o++) {
            long from = 0;
            for (int a = 0; a < rank; a++) {
                from += index[a] * inStrides[perm[a]];
            }
            System.arraycopy(raw, (int) (from * elem), out, (int) (o * elem), elem);
            for (int a = rank - 1; a >= 0 && ++index[a] == outDims[a]; a--) {
                index[a] = 0;
            }
        }
        return new Tensor(newName, dataType, outDims, out);
    }

    /** A float copy with the given indices along one axis set to zero. */
    public Tensor withZeroed(int axis, int[] indices) {
        float[] w = floats();
        long inner = 1;
        for (int a = axis + 1; a < dims.length; a++) {
            inner *= dims[a];
        }
        int n = (int) dims[axis];
        boolean[] zero = new boolean[n];
        for (int i : indices) {
            zero[i] = true;
        }
        for (int i = 0; i < w.length; i++) {
            if (zero[(int) ((i / inner) % n)]) {
                w[i] = 0f;
            }
        }
        return ofFloats(name, dims, w);
    }

    public static Tensor fromProto(TensorProto proto, ExternalDataResolver external) {
        long[] dims = proto.getDimsList().stream().mapToLong(Long::longValue).toArray();
        int type = proto.getDataType();
        String name = proto.getName();
        if (type == DataType.STRING) {
            throw new SpaException("tensor '" + name + "' is a string tensor, which the engine does not handle");
        }
        byte[] raw;
        if (proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            raw = external.read(proto);
        } else if (proto.hasRawData()) {
            raw = proto.getRawData().toByteArray();
        } else {
            raw = typedFieldsToRaw(proto, type, dims);
        }
        return new Tensor(name, type, dims, raw);
    }

    private static byte[] typedFieldsToRaw(TensorProto p, int type, long[] dims) {
        String what = "tensor '" + p.getName() + "'";
        long n = Sizes.elements(what, dims);
        int count = switch (type) {
            case DataType.FLOAT -> p.getFloatDataCount();
            case DataType.DOUBLE -> p.getDoubleDataCount();
            case DataType.INT64 -> p.getInt64DataCount();
            case DataType.UINT64, DataType.UINT32 -> p.getUint64DataCount();
            default -> p.getInt32DataCount(); // int32_data carries INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16, BFLOAT16
        };
        // compared before allocating: a declared shape of 10^12 elements with no values must not allocate anything
        if (count != n) {
            throw new SpaException(what + " has " + count + " values, its shape " + Arrays.toString(dims) + " needs " + n);
        }
        int size = DataType.size(type);
        ByteBuffer buf = ByteBuffer.allocate((int) Sizes.bytes(what, dims, size)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            switch (type) {
                case DataType.FLOAT -> buf.putFloat(p.getFloatData(i));
                case DataType.DOUBLE -> buf.putDouble(p.getDoubleData(i));
                case DataType.INT64 -> buf.putLong(p.getInt64Data(i));
                case DataType.UINT64 -> buf.putLong(p.getUint64Data(i));
                case DataType.UINT32 -> buf.putInt((int) p.getUint64Data(i));
                default -> putInt(buf, p.getInt32Data(i), size);
            }
        }
        return buf.array();
    }

    private static void putInt(ByteBuffer buf, int v, int size) {
        if (size == 4) {
            buf.putInt(v);
        } else if (size == 2) {
            buf.putShort((short) v);
        } else {
            buf.put((byte) v);
        }
    }

    public TensorProto toProto() {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(dataType);
        for (long d : dims) {
            b.addDims(d);
        }
        // no copy: a Tensor never changes its bytes, so the proto may share them
        return b.setRawData(UnsafeByteOperations.unsafeWrap(raw)).build();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(dims);
    }
}
