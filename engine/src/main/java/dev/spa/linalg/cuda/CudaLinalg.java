package dev.spa.linalg.cuda;

import dev.spa.linalg.CpuLinalg;
import dev.spa.linalg.Linalg;
import dev.spa.linalg.Triangles;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cusolver.cusolverDnContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.bytedeco.cuda.global.cublas.CUBLAS_FILL_MODE_LOWER;
import static org.bytedeco.cuda.global.cublas.CUBLAS_FILL_MODE_UPPER;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.cublasCreate_v2;
import static org.bytedeco.cuda.global.cublas.cublasDestroy_v2;
import static org.bytedeco.cuda.global.cublas.cublasSetVector;
import static org.bytedeco.cuda.global.cublas.cublasSgemm_v2;
import static org.bytedeco.cuda.global.cublas.cublasSsyrk_v2;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemcpy;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemset;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCreate;
import static org.bytedeco.cuda.global.cusolver.cusolverDnDestroy;
import static org.bytedeco.cuda.global.cusolver.cusolverDnSpotrf;
import static org.bytedeco.cuda.global.cusolver.cusolverDnSpotrf_bufferSize;
import static org.bytedeco.cuda.global.cusolver.cusolverDnSpotrs;

/**
 * The OBSPA linear algebra on an NVIDIA GPU: cuBLAS for the products (SYRK for Gram matrices, GEMM
 * otherwise) and cuSOLVER for the Cholesky factor (POTRF) and the inverse from it (POTRS against the
 * identity), all in float32 with cuBLAS's default (non-TF32) math so answers match the CPU path.
 *
 * <p>Matrices are row-major on the Java side and column-major on the GPU; each call is written in terms
 * of the transposes, which a row-major buffer read as column-major already is, so nothing is transposed
 * in memory. Device memory comes from a few reused slots under a byte budget; an operation that does
 * not fit the budget (or finds the GPU full) runs on the CPU instead and is counted in
 * {@link #fallbacks()}. Calls are serialised: one process, one handle pair, one stream.
 */
public final class CudaLinalg implements Linalg, AutoCloseable {
    private static final int SLOT_A = 0;
    private static final int SLOT_B = 1;
    private static final int SLOT_C = 2;
    private static final int SLOT_WORK = 3;

    private final int device;
    private final cublasContext blas = new cublasContext();
    private final cusolverDnContext solver = new cusolverDnContext();
    private final DeviceBuffers buffers;
    private final PinnedTransfers transfers;
    private final IntPointer deviceInfo = new IntPointer();
    private final IntPointer hostInfo = new IntPointer(1);
    private final FloatPointer alpha = new FloatPointer(1);
    private final FloatPointer beta = new FloatPointer(1);
    private final CpuLinalg cpu = new CpuLinalg();
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile String lastFallback = "";

    /** @param budgetBytes the most device memory this instance holds at once */
    public CudaLinalg(int device, long budgetBytes) {
        if (!CudaProbe.result().available()) {
            throw new CudaException("no GPU for the CUDA linear algebra: " + CudaProbe.result().description());
        }
        this.device = device;
        Cuda.runtime(cudaSetDevice(device), "cudaSetDevice(" + device + ")");
        Cuda.blas(cublasCreate_v2(blas), "cublasCreate");
        Cuda.solver(cusolverDnCreate(solver), "cusolverDnCreate");
        Cuda.runtime(cudaMalloc(deviceInfo, Integer.BYTES), "cudaMalloc of the solver's status");
        buffers = new DeviceBuffers(4, budgetBytes);
        transfers = new PinnedTransfers();
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** How many operations ran on the CPU because they did not fit the device memory budget. */
    public long fallbacks() {
        return fallbacks.get();
    }

    /** Why the last fallback happened; empty when there was none. */
    public String lastFallback() {
        return lastFallback;
    }

    @Override
    public synchronized void accumulateGram(float[] h, int n, float[] x, int rows) {
        if (n == 0 || rows == 0) {
            return;
        }
        orOnCpu(() -> {
            int chunkRows = chunkRows(n, rows, 1);
            FloatPointer[] d = reserve((long) chunkRows * n, 0, (long) n * n);
            transfers.upload(h, 0, (long) n * n, d[SLOT_C]);
            for (int r0 = 0; r0 < rows; r0 += chunkRows) {
                int count = Math.min(chunkRows, rows - r0);
                transfers.upload(x, r0 * n, (long) count * n, d[SLOT_A]);
                // column-major, the rows x n buffer is Xᵀ (n x count): H += Xᵀ (Xᵀ)ᵀ, lower triangle
                Cuda.blas(cublasSsyrk_v2(blas, CUBLAS_FILL_MODE_LOWER, CUBLAS_OP_N, n, count, scalar(alpha, 1f),
                        d[SLOT_A], n, scalar(beta, 1f), d[SLOT_C], n), "cublasSsyrk");
            }
            transfers.download(d[SLOT_C], (long) n * n, h, 0);
            // the column-major lower triangle is the row-major upper one: mirror it down
            Triangles.copyUpperToLower(h, n);
            return null;
        }, () -> {
            cpu.accumulateGram(h, n, x, rows);
            return null;
        });
    }

    @Override
    public synchronized void accumulateCross(float[] c, int n, float[] x, float[] y, int rows) {
        if (n == 0 || rows == 0) {
            return;
        }
        orOnCpu(() -> {
            int chunkRows = chunkRows(n, rows, 2);
            FloatPointer[] d = reserve((long) chunkRows * n, (long) chunkRows * n, (long) n * n);
            transfers.upload(c, 0, (long) n * n, d[SLOT_C]);
            for (int r0 = 0; r0 < rows; r0 += chunkRows) {
                int count = Math.min(chunkRows, rows - r0);
                transfers.upload(x, r0 * n, (long) count * n, d[SLOT_A]);
                transfers.upload(y, r0 * n, (long) count * n, d[SLOT_B]);
                // column-major Cᵀ += Yᵀ X, which read row-major is C += Xᵀ Y
                Cuda.blas(cublasSgemm_v2(blas, CUBLAS_OP_N, CUBLAS_OP_T, n, n, count, scalar(alpha, 1f), d[SLOT_B], n,
                        d[SLOT_A], n, scalar(beta, 1f), d[SLOT_C], n), "cublasSgemm");
            }
            transfers.download(d[SLOT_C], (long) n * n, c, 0);
            return null;
        }, () -> {
            cpu.accumulateCross(c, n, x, y, rows);
            return null;
        });
    }

    @Override
    public synchronized float[] multiply(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[m * n];
        product(c, a, b, m, k, n, 1f, false);
        return c;
    }

    @Override
    public synchronized void multiplyAccumulate(float[] c, float[] a, float[] b, int m, int k, int n, float alpha) {
        product(c, a, b, m, k, n, alpha, true);
    }

    /** C (+)= alpha A B, as column-major Cᵀ (+)= alpha Bᵀ Aᵀ. */
    private void product(float[] c, float[] a, float[] b, int m, int k, int n, float factor, boolean accumulate) {
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        orOnCpu(() -> {
            FloatPointer[] d = reserve((long) m * k, (long) k * n, (long) m * n);
            transfers.upload(a, 0, (long) m * k, d[SLOT_A]);
            transfers.upload(b, 0, (long) k * n, d[SLOT_B]);
            if (accumulate) {
                transfers.upload(c, 0, (long) m * n, d[SLOT_C]);
            }
            Cuda.blas(cublasSgemm_v2(blas, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, scalar(alpha, factor), d[SLOT_B], n,
                    d[SLOT_A], k, scalar(beta, accumulate ? 1f : 0f), d[SLOT_C], n), "cublasSgemm");
            transfers.download(d[SLOT_C], (long) m * n, c, 0);
            return null;
        }, () -> {
            cpu.multiplyAccumulate(c, a, b, m, k, n, factor);
            return null;
        });
    }

    @Override
    public synchronized float[] cholesky(float[] a, int n) {
        return orOnCpu(() -> {
            // column-major upper U with Uᵀ U = A is, read row-major, the lower L = Uᵀ with L Lᵀ = A
            Cuda.solver(cusolverDnSpotrf_bufferSize(solver, CUBLAS_FILL_MODE_UPPER, n, reserve(0, 0, (long) n * n)[SLOT_C], n,
                    hostInfo), "cusolverDnSpotrf_bufferSize");
            int workSize = hostInfo.get(0);
            FloatPointer[] d = reserve(0, 0, (long) n * n, Math.max(1, workSize));
            FloatPointer matrix = d[SLOT_C];
            transfers.upload(a, 0, (long) n * n, matrix);
            Cuda.solver(cusolverDnSpotrf(solver, CUBLAS_FILL_MODE_UPPER, n, matrix, n, d[SLOT_WORK], workSize, deviceInfo),
                    "cusolverDnSpotrf");
            if (solverInfo() != 0) {
                return null;
            }
            float[] l = new float[n * n];
            transfers.download(matrix, (long) n * n, l, 0);
            for (int i = 0; i < n; i++) {
                float diagonal = l[i * n + i];
                if (!(diagonal > 0) || Float.isInfinite(diagonal)) {
                    return null;
                }
                Arrays.fill(l, i * n + i + 1, (i + 1) * n, 0f);
            }
            return l;
        }, () -> cpu.cholesky(a, n));
    }

    @Override
    public synchronized float[] inverseFromCholesky(float[] l, int n) {
        return orOnCpu(() -> {
            FloatPointer[] d = reserve((long) n * n, 0, (long) n * n);
            transfers.upload(l, 0, (long) n * n, d[SLOT_A]);
            Cuda.runtime(cudaMemset(d[SLOT_C], 0, (long) n * n * Float.BYTES), "cudaMemset");
            Cuda.blas(cublasSetVector(n, Float.BYTES, transfers.filled(n, 1f), 1, d[SLOT_C], n + 1), "cublasSetVector (identity)");
            // (Uᵀ U) X = I with U the column-major reading of L
            Cuda.solver(cusolverDnSpotrs(solver, CUBLAS_FILL_MODE_UPPER, n, n, d[SLOT_A], n, d[SLOT_C], n, deviceInfo), "cusolverDnSpotrs");
            if (solverInfo() != 0) {
                throw new CudaException("cusolverDnSpotrs rejected argument " + -solverInfo());
            }
            // both triangles are solved for, so the result is symmetric up to rounding (the CPU mirrors its lower half)
            float[] inverse = new float[n * n];
            transfers.download(d[SLOT_C], (long) n * n, inverse, 0);
            return inverse;
        }, () -> cpu.inverseFromCholesky(l, n));
    }

    private FloatPointer[] reserve(long... floats) {
        Cuda.runtime(cudaSetDevice(device), "cudaSetDevice(" + device + ")");
        return buffers.reserve(floats);
    }

    /** Rows per upload so that {@code matrices} row blocks take at most a quarter of the budget each. */
    private int chunkRows(int n, int rows, int matrices) {
        long perMatrix = buffers.budgetBytes() / Float.BYTES / 4 / matrices;
        return (int) Math.max(1, Math.min(rows, perMatrix / n));
    }

    private int solverInfo() {
        Cuda.runtime(cudaMemcpy(hostInfo, deviceInfo, Integer.BYTES, cudaMemcpyDeviceToHost), "cudaMemcpy of the solver's status");
        return hostInfo.get(0);
    }

    private static FloatPointer scalar(FloatPointer holder, float value) {
        return holder.put(0, value);
    }

    private <T> T orOnCpu(Supplier<T> onGpu, Supplier<T> onCpu) {
        try {
            return onGpu.get();
        } catch (DeviceMemoryShortage e) {
            fallbacks.incrementAndGet();
            lastFallback = e.getMessage();
            return onCpu.get();
        }
    }

    @Override
    public synchronized void close() {
        buffers.close();
        transfers.close();
        cudaFree(deviceInfo);
        cusolverDnDestroy(solver);
        cublasDestroy_v2(blas);
    }
}
