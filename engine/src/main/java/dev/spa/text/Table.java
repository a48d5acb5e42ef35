package dev.spa.text;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns. */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(header);
    }

    public Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    public String render() {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            for (int i = 0; i < cols; i++) {
                sb.append(i == 0 ? String.format("%-" + width[i] + "s", r[i]) : String.format("  %" + width[i] + "s", r[i]));
            }
            sb.append('\n');
            if (k == 0) {
                for (int i = 0; i < cols; i++) {
                    sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    public static String millions(long n) {
        return String.format("%.3fM", n / 1e6);
    }

    public static String percent(double ratio) {
        return String.format("%.1f%%", ratio * 100);
    }
}
