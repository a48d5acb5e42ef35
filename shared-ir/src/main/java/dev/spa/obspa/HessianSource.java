package dev.spa.obspa;

import dev.spa.ir.Model;
import dev.spa.linalg.Linalg;

import java.util.Collection;
import java.util.Map;

/** Where the input Hessians of the layers OBSPA scores and updates come from. */
public interface HessianSource {
    /** A short description for logs and reports ("calibration 256 samples", "data-free", ...). */
    String describe();

    /** One Hessian per layer, keyed by the layer's weight name. */
    Map<String, LayerHessian> hessians(Model model, Collection<LinearLayer> layers, Linalg linalg);
}
