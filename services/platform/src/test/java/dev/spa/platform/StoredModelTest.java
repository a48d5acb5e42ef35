package dev.spa.platform;

import dev.spa.ir.ExternalDataWriter;
import dev.spa.ir.Model;
import dev.spa.ir.ModelLoader;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.testkit.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stored models with external data on a real S3 server: fetched with their data files, refused by name, copied whole. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoredModelTest {
    private S3Server s3;
    private ObjectStore store;
    private Model model;
    private byte[] onnx;
    private byte[] data;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        s3 = S3Server.start(dir.resolve("s3"), "spa-access", "spa-secret-key");
        store = ObjectStore.connect(s3.endpoint(), s3.accessKey(), s3.secretKey());
        store.ensureBucket("registry");
        byte[] bytes = new GraphBuilder().input("x", 1, 8, 8, 8).output("y").weight("W", 32, 8, 3, 3)
                .opAttrs("Conv", "y", new String[] {"x", "W"}, "pads", new long[] {1, 1, 1, 1}).bytes();
        model = new ModelLoader().load(bytes, null, "conv");
        Path file = dir.resolve("written").resolve("conv.onnx");
        model.write(file, true);
        onnx = Files.readAllBytes(file);
        data = Files.readAllBytes(ExternalDataWriter.dataFile(file));
    }

    @AfterAll
    void stop() {
        s3.close();
    }

    private void putModel(String folder, boolean withData) {
        store.put(new S3Uri("registry", folder + "/conv.onnx"), onnx, "application/octet-stream");
        if (withData) {
            store.put(new S3Uri("registry", folder + "/conv.onnx.data"), data, "application/octet-stream");
        }
    }

    @Test
    void aModelIsFetchedWithItsDataFileAndCopiedWithIt() {
        putModel("whole", true);
        Path folder;
        try (StoredModel stored = StoredModel.fetch(store, "s3://registry/whole/conv.onnx", Long.MAX_VALUE)) {
            folder = stored.folder();
            assertTrue(stored.hasExternalData());
            assertEquals(onnx.length + data.length, stored.bytes());
            assertArrayEquals(model.graph().constant("W").floats(), stored.load().graph().constant("W").floats());
            stored.store(store, new S3Uri("registry", "copy/model/model.onnx"));
        }
        assertFalse(Files.exists(folder), "closing removes the fetched files");
        assertArrayEquals(data, store.get(new S3Uri("registry", "copy/model/conv.onnx.data")));
        assertArrayEquals(onnx, store.get(new S3Uri("registry", "copy/model/model.onnx")));
    }

    @Test
    void aMissingDataFileIsNamed() {
        putModel("no-data", false);
        JobRejected e = assertThrows(JobRejected.class, () -> StoredModel.fetch(store, "s3://registry/no-data/conv.onnx", Long.MAX_VALUE));
        assertEquals("MODEL_NOT_FOUND", e.code());
        assertTrue(e.getMessage().contains("s3://registry/no-data/conv.onnx.data"), e.getMessage());
    }

    @Test
    void theSizeLimitCountsTheDataFiles() {
        putModel("limit", true);
        JobRejected e = assertThrows(JobRejected.class, () -> StoredModel.fetch(store, "s3://registry/limit/conv.onnx", onnx.length + 10));
        assertEquals("MODEL_TOO_LARGE", e.code());
    }

    @Test
    void aDataFileShorterThanItsTensorsIsAnInvalidModel() {
        putModel("short", false);
        store.put(new S3Uri("registry", "short/conv.onnx.data"), new byte[100], "application/octet-stream");
        try (StoredModel stored = StoredModel.fetch(store, "s3://registry/short/conv.onnx", Long.MAX_VALUE)) {
            JobRejected e = assertThrows(JobRejected.class, stored::load);
            assertEquals("INVALID_MODEL", e.code());
            assertTrue(e.getMessage().contains("runs past its end") || e.getMessage().contains("lies outside"), e.getMessage());
        }
    }
}
