package dev.spa.bench;

import java.util.Map;

/** A small line chart as SVG: accuracy (y) against MACs reduction (x), one line per method. */
final class AccuracyPlot {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
            "#3182bd", "#e6550d", "#31a354"};

    private AccuracyPlot() {
    }

    static String svg(Map<String, double[]> curves, String[] xLabels, double original, String title) {
        int w = 980;
        int h = 520;
        int left = 60;
        int top = 40;
        int plotW = 520;
        int plotH = 420;
        StringBuilder s = new StringBuilder();
        s.append(String.format("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n", w, h));
        s.append("<rect width='100%' height='100%' fill='white'/>\n");
        s.append(String.format("<text x='%d' y='20' font-size='14'>%s</text>%n", left, title));
        for (int p = 0; p <= 100; p += 20) {
            double y = top + plotH * (1 - p / 100.0);
            s.append(String.format("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>%n", left, y, left + plotW, y));
            s.append(String.format("<text x='%d' y='%.1f' text-anchor='end'>%d%%</text>%n", left - 6, y + 4, p));
        }
        for (int i = 0; i < xLabels.length; i++) {
            double x = left + plotW * i / (double) (xLabels.length - 1);
            s.append(String.format("<text x='%.1f' y='%d' text-anchor='middle'>%s fewer MACs</text>%n", x, top + plotH + 18, xLabels[i]));
        }
        double yo = top + plotH * (1 - original);
        s.append(String.format("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='black' stroke-dasharray='4 3'/>%n", left, yo, left + plotW, yo));
        s.append(String.format("<text x='%d' y='%.1f'>original %.1f%%</text>%n", left + 4, yo - 4, 100 * original));
        int k = 0;
        for (Map.Entry<String, double[]> e : curves.entrySet()) {
            String colour = COLOURS[k % COLOURS.length];
            StringBuilder points = new StringBuilder();
            double[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                points.append(String.format("%.1f,%.1f ", left + plotW * i / (double) (v.length - 1), top + plotH * (1 - v[i])));
            }
            s.append(String.format("<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%n", colour, points.toString().trim()));
            int ly = top + 10 + 18 * k;
            s.append(String.format("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='3'/>%n", left + plotW + 20, ly, left + plotW + 40, ly, colour));
            s.append(String.format("<text x='%d' y='%d'>%s</text>%n", left + plotW + 46, ly + 4, e.getKey().replace("&", "&amp;")));
            k++;
        }
        s.append("</svg>\n");
        return s.toString();
    }
}
