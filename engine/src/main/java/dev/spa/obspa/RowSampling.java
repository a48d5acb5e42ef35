package dev.spa.obspa;

/**
 * Which of a layer's rows a capture adds to its Hessian: every {@code stride}-th row, counted across the capture's
 * batches. A captured Hessian is a sample estimate of E[x xᵀ], and a Conv gets a row for every output position of
 * every sample: the load test's small CNNs had 1200 rows a column (256 images of 32 x 32 positions) and the MNIST
 * CNN's 4096 images 4000, where the Gram of those rows and their unfolding were most of a small job's scoring. So a
 * layer with more than {@link #ROWS_PER_COLUMN} rows a column keeps about that many, spread over every sample and
 * position, and its Hessian is scaled back to the full count, so losses stay comparable across layers in a global
 * selection. The stride is made coprime with the output's width so the rows taken cycle through every column of
 * positions instead of one of them.
 */
public final class RowSampling {
    /** Rows a column kept at most: 16 times what SyntheticSampleCount asks of a starved layer. */
    static final int ROWS_PER_COLUMN = 256;

    private final int stride;
    /** Rows of the capture seen so far, taken or not. */
    private long seen;
    private long taken;

    private RowSampling(int stride) {
        this.stride = stride;
    }

    /** Every row. */
    public static RowSampling all() {
        return new RowSampling(1);
    }

    /**
     * @param totalRows the rows the whole capture will give this layer
     * @param columns   the layer's Hessian columns
     * @param width     the output's width (Conv) or 1
     */
    public static RowSampling of(long totalRows, int columns, int width) {
        long wanted = (long) ROWS_PER_COLUMN * columns;
        if (totalRows <= 2 * wanted) {
            return all(); // halving or less saves little and costs rows
        }
        int stride = (int) Math.min(Integer.MAX_VALUE, totalRows / wanted);
        while (gcd(stride, Math.max(1, width)) != 1) {
            stride++;
        }
        return new RowSampling(stride);
    }

    int stride() {
        return stride;
    }

    /** The rows of one batch to take: {@code count} rows from {@code first} on, {@code stride} apart. */
    record Batch(int first, int stride, int count) {
        /** The batch's row that the k-th row taken is. */
        int row(int k) {
            return first + k * stride;
        }
    }

    /** Which rows of the next batch, of {@code rows} rows, to take; counts them as seen. */
    Batch next(int rows) {
        int first = (int) ((stride - seen % stride) % stride);
        int count = first < rows ? (rows - first + stride - 1) / stride : 0;
        seen += rows;
        taken += count;
        return new Batch(first, stride, count);
    }

    /** What the rows taken must be multiplied by to stand for all the rows seen. */
    double scale() {
        return taken == 0 ? 1 : (double) seen / taken;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
