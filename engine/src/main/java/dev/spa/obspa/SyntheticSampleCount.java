package dev.spa.obspa;

import dev.spa.cost.PlanCost;
import dev.spa.groups.Analysis;

/**
 * How many synthetic inputs a capture draws when the job names no count. A captured Hessian is a sample estimate of
 * E[x xᵀ]: a layer with n columns needs many more than n rows for it to be more than noise, and a Gemm or MatMul gets
 * one row per sample (a Conv one per output position). 256 images gave the MNIST CNN's 257-column MatMul a Hessian of
 * barely full rank, and which 256 were drawn moved its accuracy at half the MACs from 92.8% to 96.7%; with 16 rows a
 * column (4096 images) three draws gave 96.9-97.0% (BENCHMARKS.md, Quality). Where 256 already give every layer 4
 * rows a column or more, more samples moved nothing beyond a draw's noise (the ViT, the wake-word MLP), and doubling
 * the small CNNs' captures slowed the load test's mix (scoring 2.2 -> 2.4 s a job; it stopped keeping up at 48/min). So a model with a layer starved at 256 samples (under 4 rows a
 * column) gets 16 rows for every column of its starved layers, up to 4096 samples, and no more than a capture of
 * {@link #BUDGET} multiply-accumulates allows; every other model 256.
 */
public final class SyntheticSampleCount {
    public static final int MIN = 256;
    public static final int MAX = 4096;
    static final int ROWS_PER_COLUMN = 16;
    /** Rows a column under which a sample Hessian is starved. */
    static final int STARVED_BELOW = 4;
    /** Multiply-accumulates a capture of more than {@link #MIN} samples may cost (the MNIST CNN's 4096: +1.8 s on 2 cores). */
    public static final double BUDGET = 4e9;

    private SyntheticSampleCount() {
    }

    /** The count for this model: {@code stated} where the job states one (above 0), else sized to its layers. */
    public static int of(Analysis analysis, int stated) {
        if (stated > 0) {
            return stated;
        }
        long needed = MIN;
        for (LinearLayer layer : Obspa.consumerLayers(analysis).values()) {
            long rows = layer.rowsPerSample(analysis.unitShapes()); // at least 1
            if (MIN * rows < STARVED_BELOW * (long) layer.hessianColumns()) {
                needed = Math.max(needed, (ROWS_PER_COLUMN * (long) layer.hessianColumns() + rows - 1) / rows);
            }
        }
        double macs = Math.max(1, new PlanCost(analysis).original().macs());
        long affordable = Math.max(MIN, (long) (BUDGET / macs));
        return (int) Math.min(Math.min(needed, MAX), affordable);
    }
}
