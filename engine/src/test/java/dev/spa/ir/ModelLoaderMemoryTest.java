package dev.spa.ir;

import dev.spa.modelkit.GraphBuilder;
import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A loaded model shares nothing with the bytes it was parsed from: the parser aliases them, and a node's
 * attributes or a graph output kept as parsed would hold the whole file in memory beside the tensors
 * copied out of it (a second copy of the model for as long as the model lives).
 */
class ModelLoaderMemoryTest {
    @Test
    void theFileBytesCanBeFreedWhileTheModelLives() throws InterruptedException {
        byte[] bytes = new GraphBuilder().input("x", 1, 3, 8, 8).output("y").weight("W", 4, 3, 3, 3)
                .opAttrs("Conv", "c", new String[] {"x", "W"}, "pads", new long[] {1, 1, 1, 1})
                .opAttrs("LeakyRelu", "y", new String[] {"c"}, "alpha", 0.1f).bytes();
        WeakReference<byte[]> file = new WeakReference<>(bytes);
        Model model = new ModelLoader(ModelLoader.DEFAULT_SIZE_LIMIT).load(bytes, null, "test model");
        bytes = null;
        for (int i = 0; i < 20 && file.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(file.get() == null, "the model still holds the bytes it was parsed from");
        assertEquals(2, model.graph().nodes().size());
        assertEquals(0.1f, model.graph().nodes().get(1).attribute("alpha").getF());
        Reference.reachabilityFence(model);
    }
}
