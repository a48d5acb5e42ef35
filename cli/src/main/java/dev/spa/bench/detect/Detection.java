package dev.spa.bench.detect;

/** One detected box, corners in fractions of the image's width and height, with its score and class. */
public record Detection(double x1, double y1, double x2, double y2, double score, int cls) {
    double area() {
        return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
    }

    /** Intersection over union with another box (0 when either is empty). */
    public double iou(Detection o) {
        double w = Math.min(x2, o.x2) - Math.max(x1, o.x1);
        double h = Math.min(y2, o.y2) - Math.max(y1, o.y1);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        return inter / (area() + o.area() - inter);
    }
}
