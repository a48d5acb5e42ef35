package dev.spa.linalg.cuda;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;

import static org.bytedeco.cuda.global.cudart.cudaFreeHost;
import static org.bytedeco.cuda.global.cudart.cudaMallocHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpy;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;

/**
 * Copies between Java arrays and device memory through one page-locked host buffer of fixed size,
 * allocated once: page-locked copies run at the bus's full speed, and the fixed size keeps the pinned
 * memory small whatever the matrix.
 */
final class PinnedTransfers implements AutoCloseable {
    static final int CHUNK_FLOATS = 1 << 22;

    private final FloatPointer pinned = new FloatPointer();

    PinnedTransfers() {
        Cuda.runtime(cudaMallocHost(pinned, (long) CHUNK_FLOATS * Float.BYTES), "cudaMallocHost");
        pinned.capacity(CHUNK_FLOATS).limit(CHUNK_FLOATS);
    }

    void upload(float[] source, int offset, long count, FloatPointer device) {
        for (long done = 0; done < count; done += CHUNK_FLOATS) {
            int chunk = (int) Math.min(CHUNK_FLOATS, count - done);
            pinned.put(source, offset + (int) done, chunk);
            Cuda.runtime(cudaMemcpy(device.getPointer(done), pinned, (long) chunk * Float.BYTES, cudaMemcpyHostToDevice),
                    "cudaMemcpy to the GPU");
        }
    }

    void download(FloatPointer device, long count, float[] target, int offset) {
        for (long done = 0; done < count; done += CHUNK_FLOATS) {
            int chunk = (int) Math.min(CHUNK_FLOATS, count - done);
            Cuda.runtime(cudaMemcpy(pinned, device.getPointer(done), (long) chunk * Float.BYTES, cudaMemcpyDeviceToHost),
                    "cudaMemcpy from the GPU");
            pinned.get(target, offset + (int) done, chunk);
        }
    }

    /** The pinned buffer filled with {@code count} copies of {@code value}, for strided copies (cublasSetVector). */
    FloatPointer filled(int count, float value) {
        float[] values = new float[count];
        Arrays.fill(values, value);
        pinned.put(values, 0, count);
        return pinned;
    }

    @Override
    public void close() {
        cudaFreeHost(pinned);
    }
}
