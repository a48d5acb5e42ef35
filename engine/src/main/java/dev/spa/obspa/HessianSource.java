package dev.spa.obspa;

import dev.spa.ir.Model;
import dev.spa.linalg.Linalg;

import java.util.Collection;

/** Where the input Hessians of the layers OBSPA scores and updates come from. */
public interface HessianSource {
    /** A short description for logs and reports ("calibration 256 samples", "data-free", ...). */
    String describe();

    /** The Hessians of these layers, handed over one layer at a time. */
    LayerHessians hessians(Model model, Collection<LinearLayer> layers, Linalg linalg);

    /**
     * Per-layer Hessians as a source hands them over: each layer's is taken once, and the source keeps no
     * reference to it afterwards, so OBSPA holds one layer's n x n Hessian at a time where the source
     * can build them one by one (data-free), and frees each as it goes where it must accumulate them all
     * together (captured from samples).
     */
    interface LayerHessians {
        LayerHessian take(LinearLayer layer);

        /** What a user should know of how these Hessians were made (data-free: how many inputs were guesses), or "". */
        default String coverage() {
            return "";
        }
    }
}
