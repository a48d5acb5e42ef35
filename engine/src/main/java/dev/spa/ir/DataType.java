package dev.spa.ir;

import dev.spa.SpaException;

/** ONNX tensor element types the engine can hold as raw little-endian bytes. */
public final class DataType {
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int UINT16 = 4;
    public static final int INT16 = 5;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int STRING = 8;
    public static final int BOOL = 9;
    public static final int FLOAT16 = 10;
    public static final int DOUBLE = 11;
    public static final int UINT32 = 12;
    public static final int UINT64 = 13;
    public static final int BFLOAT16 = 16;

    private DataType() {
    }

    /** Bytes per element; strings and sub-byte types are not sliceable as raw bytes. */
    public static int size(int dataType) {
        switch (dataType) {
            case FLOAT: case INT32: case UINT32: return 4;
            case UINT8: case INT8: case BOOL: return 1;
            case UINT16: case INT16: case FLOAT16: case BFLOAT16: return 2;
            case INT64: case DOUBLE: case UINT64: return 8;
            default: throw new SpaException("unsupported tensor element type " + dataType);
        }
    }
}
