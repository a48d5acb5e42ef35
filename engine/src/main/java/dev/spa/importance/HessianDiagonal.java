package dev.spa.importance;

/**
 * Source of the diagonal of the loss Hessian with respect to a weight: the data OBD needs. The
 * calibration-data source (accumulated input Hessians) comes with OBSPA.
 */
public interface HessianDiagonal {
    /** One value per element of the weight (same layout), or null when this weight has none. */
    float[] forWeight(String weight);
}
