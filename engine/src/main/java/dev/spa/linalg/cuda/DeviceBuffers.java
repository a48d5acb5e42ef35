package dev.spa.linalg.cuda;

import org.bytedeco.javacpp.FloatPointer;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;

/**
 * A fixed set of device allocations ("slots") that grow to the largest size asked of them and are then
 * reused from layer to layer, so a job makes a handful of cudaMalloc calls, not one per operation. The
 * slots together never hold more than the byte budget: a request that would pass it frees them all
 * first, and one that could never fit is refused with {@link DeviceMemoryShortage}.
 */
final class DeviceBuffers implements AutoCloseable {
    private final long budgetBytes;
    private final FloatPointer[] slots;
    private final long[] capacity;

    DeviceBuffers(int slotCount, long budgetBytes) {
        this.budgetBytes = budgetBytes;
        this.slots = new FloatPointer[slotCount];
        this.capacity = new long[slotCount];
    }

    long budgetBytes() {
        return budgetBytes;
    }

    /** Device pointers for slots 0, 1, ... holding at least {@code floats[i]} floats each (contents undefined). */
    FloatPointer[] reserve(long... floats) {
        long asked = 0;
        long afterGrowth = 0;
        for (int i = 0; i < slots.length; i++) {
            long wanted = i < floats.length ? floats[i] : 0;
            asked += wanted;
            afterGrowth += Math.max(capacity[i], wanted);
        }
        if (asked * Float.BYTES > budgetBytes) {
            throw new DeviceMemoryShortage(String.format("the operation needs %.0f MiB of GPU memory, the budget is %.0f MiB",
                    asked * 4.0 / (1 << 20), budgetBytes / (double) (1 << 20)));
        }
        if (afterGrowth * Float.BYTES > budgetBytes) {
            close();
        }
        FloatPointer[] out = new FloatPointer[floats.length];
        for (int i = 0; i < floats.length; i++) {
            if (capacity[i] < floats[i]) {
                free(i);
                FloatPointer p = new FloatPointer();
                Cuda.runtime(cudaMalloc(p, floats[i] * Float.BYTES), "cudaMalloc of " + floats[i] * Float.BYTES + " bytes");
                p.capacity(floats[i]).limit(floats[i]);
                slots[i] = p;
                capacity[i] = floats[i];
            }
            out[i] = slots[i];
        }
        return out;
    }

    private void free(int i) {
        if (slots[i] != null) {
            cudaFree(slots[i]);
            slots[i] = null;
            capacity[i] = 0;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < slots.length; i++) {
            free(i);
        }
    }
}
