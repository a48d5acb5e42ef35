package dev.spa.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One local stack per folder: a second one is refused with the reason until the first lets go. */
class FolderLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondStackInTheSameFolderIsRefusedUntilTheFirstStops() {
        Path folder = dir.resolve("stack");
        FolderLock first = FolderLock.take(folder);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FolderLock.take(folder));
        assertTrue(e.getMessage().contains("another local stack is running in " + folder), e.getMessage());
        FolderLock.take(dir.resolve("elsewhere")).close();
        first.close();
        FolderLock.take(folder).close();
    }
}
