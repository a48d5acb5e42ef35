package dev.spa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * This machine's float32 peak, to state what share of it a kernel reaches: cores x the clock
 * /proc/cpuinfo reports x the FLOPs a core issues per cycle. Two fused multiply-add pipes per core
 * (every x86 server core since Haswell), each 16 float32 lanes wide where the core executes AVX-512 at
 * full width (AMD from Zen 5, CPU family 26; Intel server cores with AVX-512), else 8 (AVX2, and Zen 4,
 * which runs a 512-bit operation as two halves): 64 or 32 FLOPs per cycle. Kernels built for AVX2
 * (OPENBLAS_CORETYPE=Haswell) can reach only the 32-per-cycle figure. A virtual machine reports its
 * nominal clock: where the host boosts above it, a kernel can measure over 100%.
 */
record CpuPeak(int cores, double gigahertz, int flopsPerCycle, String core) {
    /** Two FMA pipes of eight float32 lanes (AVX2, or AVX-512 run as two halves). */
    static final int AVX2_FLOPS_PER_CYCLE = 32;
    static CpuPeak ofThisMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            double ghz = Double.parseDouble(field(lines, "cpu MHz")) / 1000;
            String flags = " " + field(lines, "flags") + " ";
            boolean amd = field(lines, "vendor_id").contains("AMD");
            int family = Integer.parseInt(field(lines, "cpu family"));
            boolean avx512 = flags.contains(" avx512f ");
            boolean fullWidth = avx512 && (!amd || family >= 26);
            String core = (amd ? "AMD family " + family : "Intel") + (avx512 ? ", AVX-512" + (fullWidth ? " at full width" : " in two halves") : ", AVX2");
            return new CpuPeak(cores, ghz, fullWidth ? 2 * AVX2_FLOPS_PER_CYCLE : AVX2_FLOPS_PER_CYCLE, core);
        } catch (IOException | RuntimeException e) {
            return new CpuPeak(cores, Double.NaN, AVX2_FLOPS_PER_CYCLE, "unknown (no /proc/cpuinfo to read)");
        }
    }

    private static String field(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name)) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        throw new IllegalStateException("/proc/cpuinfo has no '" + name + "'");
    }

    double gflops() {
        return cores * gigahertz * flopsPerCycle;
    }

    String describe() {
        return Double.isNaN(gigahertz) ? "peak unknown (no clock in /proc/cpuinfo)"
                : String.format(Locale.ROOT, "peak: %d cores x %.2f GHz (reported) x %d float32 FLOPs per cycle (%s) = %.0f GFLOP/s;"
                        + " AVX2 kernels: %.0f GFLOP/s", cores, gigahertz, flopsPerCycle, core, gflops(), cores * gigahertz * AVX2_FLOPS_PER_CYCLE);
    }

    /** "12.0 ms, 45.0 GFLOP/s (34%)" for an operation of {@code flops} that took {@code millis}. */
    String rate(double millis, double flops) {
        double rate = flops / (millis * 1e6);
        return Double.isNaN(gigahertz) ? String.format(Locale.ROOT, "%.1f ms, %.1f GFLOP/s", millis, rate)
                : String.format(Locale.ROOT, "%.1f ms, %.1f GFLOP/s (%.0f%%)", millis, rate, 100 * rate / gflops());
    }
}
