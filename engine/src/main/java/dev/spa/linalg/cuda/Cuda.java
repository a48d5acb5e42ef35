package dev.spa.linalg.cuda;

import static org.bytedeco.cuda.global.cudart.cudaErrorMemoryAllocation;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;

/** Status checks for the three libraries, each turning a non-zero code into an error that names the call. */
final class Cuda {
    private Cuda() {
    }

    static void runtime(int status, String call) {
        if (status == cudaErrorMemoryAllocation) {
            throw new DeviceMemoryShortage(call + ": the GPU is out of memory");
        }
        if (status != 0) {
            throw new CudaException(call + " failed: " + cudaGetErrorString(status).getString() + " (" + status + ")");
        }
    }

    static void blas(int status, String call) {
        if (status != 0) {
            throw new CudaException(call + " failed with cuBLAS status " + status);
        }
    }

    static void solver(int status, String call) {
        if (status != 0) {
            throw new CudaException(call + " failed with cuSOLVER status " + status);
        }
    }
}
