package dev.spa.obspa;

import dev.spa.linalg.Linalg;

/**
 * A layer's input Hessian H as OBSPA uses it: its diagonal (for the dampening), the output energy tr(W H Wᵀ)
 * of a weight under it (to make losses of different layers comparable), and the damped inverse
 * (H + λI)⁻¹. Sources hand it over in the form they build it in: accumulated from samples
 * ({@link GramHessian}) or written from propagated moments ({@link KroneckerHessian}).
 */
public interface LayerHessian {
    /** Rows and columns of H: the layer's Hessian columns. */
    int size();

    double[] diagonal();

    /** tr(W H Wᵀ) for W in {@link LinearLayer#matrix}'s layout (outputs x size). */
    double energy(Linalg linalg, float[] w, int outputs);

    /**
     * (H + λI)⁻¹, or null when H + λI is not positive definite. A Hessian may hand over its own storage as the
     * result (one n x n array, not two), after which it is used up: call this last.
     */
    InverseHessian dampedInverse(Linalg linalg, double lambda);
}
