package dev.spa.linalg;

import org.bytedeco.javacpp.FloatPointer;

/**
 * Three native float buffers per thread (two operands and the result), grown to the largest matrix met
 * and kept: copying a Java array into memory that is already mapped costs a memcpy, where a fresh
 * allocation per call costs page faults over the whole matrix. Never freed before the thread ends; the
 * largest OBSPA layer of a model bounds them (3 x 85 MB for 4608 columns).
 */
final class NativeOperands {
    private static final ThreadLocal<NativeOperands> PER_THREAD = ThreadLocal.withInitial(NativeOperands::new);

    private FloatPointer a = new FloatPointer(0L);
    private FloatPointer b = new FloatPointer(0L);
    private FloatPointer c = new FloatPointer(0L);

    private NativeOperands() {
    }

    static NativeOperands forThisThread() {
        return PER_THREAD.get();
    }

    /** The first operand, holding {@code values[0..count)}. */
    FloatPointer a(float[] values, int count) {
        a = holding(a, values, count);
        return a;
    }

    /** The second operand, holding {@code values[0..count)}. */
    FloatPointer b(float[] values, int count) {
        b = holding(b, values, count);
        return b;
    }

    /** The result, starting from {@code values[0..count)} (an accumulation or a factorisation in place). */
    FloatPointer c(float[] values, int count) {
        c = holding(c, values, count);
        return c;
    }

    /** The result buffer with room for {@code count} values, its content undefined (a product that overwrites it). */
    FloatPointer cOfSize(int count) {
        c = sized(c, count);
        return c;
    }

    /** Copies the result buffer's first {@code count} values into {@code into}. */
    void result(float[] into, int count) {
        c.position(0).get(into, 0, count);
    }

    private static FloatPointer holding(FloatPointer buffer, float[] values, int count) {
        FloatPointer p = sized(buffer, count);
        p.position(0).put(values, 0, count);
        return p;
    }

    private static FloatPointer sized(FloatPointer buffer, int count) {
        if (buffer.capacity() >= count) {
            return buffer;
        }
        buffer.close();
        return new FloatPointer(count);
    }
}
