package dev.spa.obspa;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Each layer's H⁻¹ from the moment it is computed (scoring) to the weight update: in memory up to a
 * budget, beyond it in a temporary file per layer that is read back when asked. Caching them all costs
 * n² floats per layer for the whole prune (2.6 GB for ResNet-152); with a budget, what a prune holds is the
 * budget plus the layer at work. The files go when the store is no longer reachable (or at exit).
 */
final class InverseStore {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int CHUNK_FLOATS = 1 << 18;

    private final long budgetBytes;
    private final Map<String, ObsSolver.Inverse> resident = new HashMap<>();
    private final Map<String, Spilled> spilled = new HashMap<>();
    private final TemporaryFolder files;
    private long residentBytes;

    /** Where a spilled inverse lies, and what the file does not hold. */
    private record Spilled(Path file, int floats, double lambda, boolean diagonalFallback) {
    }

    /** The temporary folder, deleted by the cleaner: a separate object so the cleaner does not keep the store alive. */
    private static final class TemporaryFolder implements Runnable {
        private Path folder;

        synchronized Path folder() throws IOException {
            if (folder == null) {
                folder = Files.createTempDirectory("spa-obspa-");
                folder.toFile().deleteOnExit();
            }
            return folder;
        }

        @Override
        public synchronized void run() {
            if (folder == null) {
                return;
            }
            try (Stream<Path> s = Files.list(folder)) {
                s.forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder left behind is cleared by the system; nothing to report to a finished prune
            }
            folder.toFile().delete();
        }
    }

    InverseStore(long budgetBytes) {
        this.budgetBytes = budgetBytes;
        this.files = new TemporaryFolder();
        CLEANER.register(this, files);
    }

    /**
     * The budget when nothing else says: an eighth of the heap this JVM may grow to (all of ResNet-18's
     * inverses under the command line's default 8 GB heap; in a tight heap the layer at work needs the rest).
     */
    static long defaultBudget() {
        return Long.getLong("spa.obspa.inverse-cache-mb", Runtime.getRuntime().maxMemory() / 8 / 1_000_000) * 1_000_000;
    }

    /**
     * Keeps the inverse; returns false when it went to disk. Only a written-out inverse goes: a structured one
     * ({@link KroneckerInverse}) is a small fraction of its layer's n² and stays, counted in the budget.
     */
    synchronized boolean put(String key, ObsSolver.Inverse inverse) {
        long bytes = inverse.value().bytes();
        if (residentBytes + bytes <= budgetBytes || !(inverse.value() instanceof DenseInverse)) {
            resident.put(key, inverse);
            residentBytes += bytes;
            return true;
        }
        try {
            Path file = Files.createTempFile(files.folder(), "hinv-", ".f32");
            DenseInverse dense = (DenseInverse) inverse.value();
            int floats = dense.size() * dense.size();
            write(file, dense.matrix(), floats);
            spilled.put(key, new Spilled(file, floats, inverse.lambda(), inverse.diagonalFallback()));
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("could not spill an inverse Hessian to the temporary folder", e);
        }
    }

    synchronized boolean contains(String key) {
        return resident.containsKey(key) || spilled.containsKey(key);
    }

    /** The inverse, not to be modified: the cached one, or read from its file. */
    synchronized ObsSolver.Inverse get(String key) {
        ObsSolver.Inverse in = resident.get(key);
        return in != null ? in : read(spilled.get(key));
    }

    /**
     * A copy the caller may shrink that covers at least these columns (ascending): a written-out inverse restricted to
     * them when they are fewer than its size, else the whole (a structured one is smaller than any written-out part; a
     * file read is a copy already).
     */
    synchronized Working working(String key, int[] columns) {
        ObsSolver.Inverse in = resident.get(key);
        InverseHessian whole = in != null ? in.value() : read(spilled.get(key)).value();
        if (whole instanceof DenseInverse dense && columns.length < dense.size()) {
            return new Working(dense.restrictedTo(columns), columns);
        }
        return new Working(in != null ? whole.copy() : whole, Submatrix.allOf(whole.size()));
    }

    /** An inverse to shrink and the layer's columns it covers, ascending. */
    record Working(InverseHessian inverse, int[] columns) {
    }

    /** The inverse, no longer kept: the caller may change it. */
    synchronized InverseHessian take(String key) {
        ObsSolver.Inverse in = resident.remove(key);
        if (in != null) {
            residentBytes -= in.value().bytes();
            return in.value();
        }
        Spilled s = spilled.remove(key);
        InverseHessian read = read(s).value();
        s.file().toFile().delete();
        return read;
    }

    /** Forgets every inverse and deletes the spilled files. */
    synchronized void clear() {
        resident.clear();
        residentBytes = 0;
        spilled.clear();
        files.run();
    }

    /** Bytes of inverses held in memory, and how many layers' went to disk. */
    synchronized long residentBytes() {
        return residentBytes;
    }

    synchronized int spilledLayers() {
        return spilled.size();
    }

    private static void write(Path file, float[] values, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.nativeOrder());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int from = 0; from < length; from += CHUNK_FLOATS) {
                int count = Math.min(CHUNK_FLOATS, length - from);
                buffer.clear();
                buffer.asFloatBuffer().put(values, from, count);
                buffer.limit(count * Float.BYTES);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
    }

    private static ObsSolver.Inverse read(Spilled s) {
        float[] values = new float[s.floats()];
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.nativeOrder());
        try (FileChannel channel = FileChannel.open(s.file(), StandardOpenOption.READ)) {
            for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
                int count = Math.min(CHUNK_FLOATS, values.length - from);
                buffer.clear().limit(count * Float.BYTES);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer) < 0) {
                        throw new IOException("the spilled inverse " + s.file() + " is shorter than written");
                    }
                }
                buffer.flip();
                buffer.asFloatBuffer().get(values, from, count);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read a spilled inverse Hessian back", e);
        }
        return new ObsSolver.Inverse(values, s.lambda(), s.diagonalFallback());
    }
}
