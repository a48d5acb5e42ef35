package dev.spa.obspa;

import dev.spa.linalg.Linalg;
import dev.spa.linalg.Transpose;

/** The downdate that removing channels applies to each C x C inverse of a structured Hessian ({@link KroneckerInverse}). */
final class SchurComplement {
    private SchurComplement() {
    }

    /**
     * ((M⁻¹)_KK)⁻¹ = M_KK − M_KQ (M_QQ)⁻¹ M_QK: the inverse of the kept part of what M inverts, written over M's
     * leading entries. Returns the coefficients M_KQ (M_QQ)⁻¹ (kept x removed).
     */
    static float[] inPlace(Linalg linalg, float[] m, int n, int[] removed, int[] kept) {
        float[] mQQ = Submatrix.rows(m, n, removed, removed);
        if (!linalg.invertInPlace(mQQ, removed.length)) {
            throw new IllegalStateException("a principal block of (γΣ + λI)⁻¹ is not positive definite; λ = 0?");
        }
        float[] mQK = Submatrix.rows(m, n, removed, kept);
        Submatrix.keepOnly(m, n, kept, kept);
        float[] coefficients = linalg.multiply(Transpose.of(mQK, removed.length, kept.length), mQQ, kept.length, removed.length, removed.length);
        linalg.multiplyAccumulate(m, coefficients, mQK, kept.length, removed.length, kept.length, -1f);
        return coefficients;
    }
}
