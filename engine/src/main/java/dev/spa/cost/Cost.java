package dev.spa.cost;

/** Parameters and multiply-accumulates (batch 1) of a model or of one layer. */
public record Cost(long params, long macs) {
    public double paramsRatio(Cost original) {
        return original.params == 0 ? 1 : (double) params / original.params;
    }

    public double macsRatio(Cost original) {
        return original.macs == 0 ? 1 : (double) macs / original.macs;
    }
}
