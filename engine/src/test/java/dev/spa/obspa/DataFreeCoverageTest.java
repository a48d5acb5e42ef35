package dev.spa.obspa;

import dev.spa.ir.Graph;
import dev.spa.ir.Model;
import dev.spa.ir.Node;
import dev.spa.linalg.CpuLinalg;
import dev.spa.modelkit.GraphBuilder;
import dev.spa.runtime.InputStatistics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A data-free prune says how many layer inputs got propagated moments, and what the others follow. */
class DataFreeCoverageTest {
    private static String coverage(Model m) {
        Graph g = m.graph();
        List<LinearLayer> layers = new ArrayList<>();
        for (Node n : g.nodes()) {
            LinearLayer layer = LinearLayer.of(g, n);
            if (layer != null) {
                layers.add(layer);
            }
        }
        return new DataFreeHessians(InputStatistics.DEFAULT, 0.5, true).hessians(m, layers, new CpuLinalg()).coverage();
    }

    @Test
    void anInputAfterAnOperatorNotModelledIsNamed() {
        Model m = new GraphBuilder().input("x", -1, 4).output("y")
                .weight("W1", 4, 6).op("MatMul", "h", "x", "W1").op("Softsign", "s", "h")
                .weight("W2", 6, 3).op("MatMul", "y", "s", "W2").model();
        assertEquals("data-free moments propagated to 1 of 2 layer inputs; 1 takes the default N(0, 1) (it follows Softsign,"
                + " not modelled)", coverage(m));
    }

    @Test
    void everyInputPropagatedIsSaidSo() {
        Model m = new GraphBuilder().input("x", -1, 4).output("y")
                .weight("W1", 4, 6).op("MatMul", "h", "x", "W1").op("Relu", "s", "h")
                .weight("W2", 6, 3).op("MatMul", "y", "s", "W2").model();
        assertEquals("data-free moments propagated to all 2 layer inputs", coverage(m));
    }
}
