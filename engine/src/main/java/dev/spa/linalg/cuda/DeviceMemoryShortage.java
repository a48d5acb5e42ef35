package dev.spa.linalg.cuda;

/** An operation needs more device memory than the budget allows or the GPU has free: the caller runs it on the CPU. */
final class DeviceMemoryShortage extends CudaException {
    DeviceMemoryShortage(String message) {
        super(message);
    }
}
