package dev.spa.obspa;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inverses beyond the in-memory budget go to disk and come back bit for bit, with what the file does not hold. */
class InverseStoreTest {
    private static ObsSolver.Inverse inverse(int n, long seed, boolean fallback) {
        float[] m = new float[n * n];
        Random r = new Random(seed);
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) r.nextGaussian();
        }
        return new ObsSolver.Inverse(m, 0.25 * seed, fallback);
    }

    @Test
    void whatDoesNotFitTheBudgetIsSpilledAndReadBackExactly() {
        ObsSolver.Inverse small = inverse(10, 1, false);
        ObsSolver.Inverse large = inverse(700, 2, true); // 1.96 MB: more than a chunk of the file buffer
        ObsSolver.Inverse next = inverse(10, 3, false);
        InverseStore store = new InverseStore(1000);
        assertTrue(store.put("a", small), "400 bytes fit the 1000-byte budget");
        assertFalse(store.put("b", large));
        assertTrue(store.put("c", next), "a later, smaller one still fits the 600 bytes left");
        assertEquals(800, store.residentBytes());
        assertEquals(1, store.spilledLayers());

        ObsSolver.Inverse back = store.get("b");
        assertArrayEquals(large.matrix(), back.matrix());
        assertEquals(large.lambda(), back.lambda());
        assertTrue(back.diagonalFallback());
        assertArrayEquals(next.matrix(), store.get("c").matrix());

        InverseStore.Working whole = store.working("a", Submatrix.allOf(10));
        assertArrayEquals(Submatrix.allOf(10), whole.columns(), "all columns asked for: the whole inverse");
        float[] copy = ((DenseInverse) whole.inverse()).matrix();
        assertNotSame(small.matrix(), copy);
        copy[0] += 1;
        assertArrayEquals(inverse(10, 1, false).matrix(), store.get("a").matrix(), "a copy is the caller's to change");
        InverseStore.Working part = store.working("b", new int[] {1, 3, 600});
        assertArrayEquals(new int[] {1, 3, 600}, part.columns());
        assertArrayEquals(Submatrix.rows(large.matrix(), 700, part.columns(), part.columns()), ((DenseInverse) part.inverse()).matrix(),
                "a spilled inverse restricted to three columns");
        assertTrue(store.contains("b") && !store.contains("d"));
    }
}
