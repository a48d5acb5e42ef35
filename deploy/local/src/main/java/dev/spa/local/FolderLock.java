package dev.spa.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A local stack's hold on its folder: one stack at a time. A second stack started in the same folder deleted the
 * first one's broker data and wrote beside its S3 server (a load test started while the previous one was still
 * stopping: the broker crashed on a vanished log file, S3Proxy answered 500s, and 110 jobs never ended). Released
 * when the stack closes or its process ends.
 */
final class FolderLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static FolderLock take(Path folder) {
        FileChannel channel = null;
        try {
            Files.createDirectories(folder);
            channel = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw busy(folder);
            }
            return new FolderLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            close(channel);
            throw busy(folder);
        } catch (IOException e) {
            close(channel);
            throw new UncheckedIOException("cannot lock the stack's folder " + folder, e);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    private static IllegalStateException busy(Path folder) {
        return new IllegalStateException("another local stack is running in " + folder + " (it holds " + folder.resolve(".lock")
                + "): stop it, or wait until it has stopped, before starting one there");
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the channel was only opened to take the lock; nothing of it needs keeping
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        }
        close(channel);
    }
}
