package dev.spa.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A time-axis chart as SVG: lines and point clouds against seconds since the run began, with marked events. */
final class TimeChart {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    private static final int LEFT = 70;
    private static final int TOP = 40;
    private static final int WIDTH = 760;
    private static final int HEIGHT = 340;

    private record Series(String name, double[] x, double[] y, boolean points) {
    }

    private record Marker(double x, String label) {
    }

    private final String title;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    TimeChart(String title, String yLabel) {
        this.title = title;
        this.yLabel = yLabel;
    }

    TimeChart line(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y, false));
        return this;
    }

    TimeChart points(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y, true));
        return this;
    }

    TimeChart marker(double x, String label) {
        markers.add(new Marker(x, label));
        return this;
    }

    String svg() {
        double maxX = 1;
        double maxY = 1e-9;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                maxX = Math.max(maxX, s.x()[i]);
                maxY = Math.max(maxY, s.y()[i]);
            }
        }
        for (Marker m : markers) {
            maxX = Math.max(maxX, m.x());
        }
        maxY = niceCeiling(maxY * 1.05);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n",
                LEFT + WIDTH + 190, TOP + HEIGHT + 50));
        out.append("<rect width='100%' height='100%' fill='white'/>\n");
        out.append(String.format(Locale.ROOT, "<text x='%d' y='22' font-size='14'>%s</text>%n", LEFT, escape(title)));
        for (int k = 0; k <= 5; k++) {
            double v = maxY * k / 5;
            double y = TOP + HEIGHT * (1 - k / 5.0);
            out.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>%n", LEFT, y, LEFT + WIDTH, y));
            out.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%s</text>%n", LEFT - 6, y + 4, label(v)));
        }
        for (int k = 0; k <= 6; k++) {
            double v = maxX * k / 6;
            double x = LEFT + WIDTH * k / 6.0;
            out.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%.0f s</text>%n", x, TOP + HEIGHT + 18, v));
        }
        out.append(String.format(Locale.ROOT, "<text x='16' y='%d' transform='rotate(-90 16 %d)' text-anchor='middle'>%s</text>%n",
                TOP + HEIGHT / 2, TOP + HEIGHT / 2, escape(yLabel)));
        for (int k = 0; k < markers.size(); k++) {
            Marker m = markers.get(k);
            double x = LEFT + WIDTH * m.x() / maxX;
            out.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#888' stroke-dasharray='4 3'/>%n", x, TOP, x, TOP + HEIGHT));
            // markers come in pairs a few seconds apart (a fault, then the restart): labels on alternate lines
            out.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='10' fill='#555'>%s</text>%n", x + 3, TOP + 10 + 12 * (k % 2),
                    escape(m.label())));
        }
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String colour = COLOURS[k % COLOURS.length];
            if (s.points()) {
                for (int i = 0; i < s.x().length; i++) {
                    out.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='2.5' fill='%s' fill-opacity='0.7'/>%n",
                            LEFT + WIDTH * s.x()[i] / maxX, TOP + HEIGHT * (1 - s.y()[i] / maxY), colour));
                }
            } else {
                StringBuilder path = new StringBuilder();
                for (int i = 0; i < s.x().length; i++) {
                    path.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + WIDTH * s.x()[i] / maxX, TOP + HEIGHT * (1 - s.y()[i] / maxY)));
                }
                out.append(String.format(Locale.ROOT, "<polyline points='%s' fill='none' stroke='%s' stroke-width='2'/>%n", path.toString().trim(), colour));
            }
            int ly = TOP + 10 + 18 * k;
            out.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>%n", LEFT + WIDTH + 14, ly - 10, colour));
            out.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>%n", LEFT + WIDTH + 32, ly, escape(s.name())));
        }
        out.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#444'/>%n", LEFT, TOP, WIDTH, HEIGHT));
        return out.append("</svg>\n").toString();
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String label(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
