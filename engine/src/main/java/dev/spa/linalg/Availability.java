package dev.spa.linalg;

/** Whether a native library can be used in this process, and how (which device, which kernels) or why not. */
public record Availability(boolean available, String description) {
}
