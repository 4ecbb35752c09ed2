package dev.mlops.dashboard.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Charts as inline SVG, drawn on the server. Every label and tooltip goes through {@link Html#esc}. Bars are
 * {@code <rect class="bar ...">} with a {@code data-value} attribute holding the plotted value, so tests (and
 * readers) can check a chart against its numbers. Heights are {@code value / max * plotHeight}, where {@code max} is
 * the largest value (or stacked total); negative and NaN values are drawn as empty bars.
 */
final class Svg {

    static final int WIDTH = 720;
    static final int HEIGHT = 200;
    static final int PLOT_TOP = 20;
    static final int PLOT_BOTTOM = 160;
    static final int PLOT_HEIGHT = PLOT_BOTTOM - PLOT_TOP;
    static final int LEFT = 56;
    static final int RIGHT = 8;
    /** At most this many x labels per chart (about 80 px each). */
    static final int MAX_LABELS = 8;

    /** One bar: its label (x axis and tooltip), value, and a CSS class such as {@code ok} or {@code bad}. */
    record Bar(String label, double value, String cls) {
    }

    private Svg() {
    }

    /** A bar chart of one series; {@code unit} is appended to the axis maximum and tooltips. */
    static String bars(String name, String title, List<Bar> bars, String unit) {
        double max = 0;
        for (Bar b : bars) {
            max = Math.max(max, finite(b.value()));
        }
        StringBuilder s = open(name, title);
        axis(s, max, unit);
        double slot = plotWidth() / (double) Math.max(1, bars.size());
        double w = Math.max(1, slot * 0.8);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double h = height(b.value(), max);
            double x = LEFT + i * slot + (slot - w) / 2;
            rect(s, "bar " + b.cls(), x, PLOT_BOTTOM - h, w, h, b.value(), b.label() + ": " + fmt(b.value()) + unit);
            if (i % stride(bars.size()) == 0) {
                label(s, x + w / 2, b.label());
            }
        }
        return s.append("</svg>").toString();
    }

    /**
     * Side-by-side bars: for each group (x position) one bar per series, series classes {@code s0, s1, ...}, with a
     * legend.
     */
    static String grouped(String name, String title, List<String> groups, Map<String, double[]> series, String unit) {
        double max = 0;
        for (double[] v : series.values()) {
            for (double x : v) {
                max = Math.max(max, finite(x));
            }
        }
        StringBuilder s = open(name, title);
        axis(s, max, unit);
        double slot = plotWidth() / (double) Math.max(1, groups.size());
        int k = Math.max(1, series.size());
        double w = Math.max(1, slot * 0.8 / k);
        for (int g = 0; g < groups.size(); g++) {
            int j = 0;
            for (Map.Entry<String, double[]> e : series.entrySet()) {
                double v = e.getValue()[g];
                double h = height(v, max);
                double x = LEFT + g * slot + slot * 0.1 + j * w;
                rect(s, "bar s" + (j % 6), x, PLOT_BOTTOM - h, w, h, v,
                        groups.get(g) + " / " + e.getKey() + ": " + fmt(v) + unit);
                j++;
            }
            if (g % stride(groups.size()) == 0) {
                label(s, LEFT + g * slot + slot / 2, groups.get(g));
            }
        }
        legend(s, series.keySet());
        return s.append("</svg>").toString();
    }

    /** Stacked bars: for each x position the series on top of each other, classes {@code s0, s1, ...}, with a legend. */
    static String stacked(String name, String title, List<String> xs, Map<String, double[]> series, String unit) {
        double max = 0;
        for (int i = 0; i < xs.size(); i++) {
            double total = 0;
            for (double[] v : series.values()) {
                total += finite(v[i]);
            }
            max = Math.max(max, total);
        }
        StringBuilder s = open(name, title);
        axis(s, max, unit);
        double slot = plotWidth() / (double) Math.max(1, xs.size());
        double w = Math.max(1, slot * 0.8);
        for (int i = 0; i < xs.size(); i++) {
            double base = PLOT_BOTTOM;
            double x = LEFT + i * slot + (slot - w) / 2;
            int j = 0;
            for (Map.Entry<String, double[]> e : series.entrySet()) {
                double v = e.getValue()[i];
                double h = height(v, max);
                base -= h;
                rect(s, "bar s" + (j % 6), x, base, w, h, v, xs.get(i) + " / " + e.getKey() + ": " + fmt(v) + unit);
                j++;
            }
            if (i % stride(xs.size()) == 0) {
                label(s, x + w / 2, xs.get(i));
            }
        }
        legend(s, series.keySet());
        return s.append("</svg>").toString();
    }

    private static StringBuilder open(String name, String title) {
        StringBuilder s = new StringBuilder(4096);
        s.append("<svg class=\"chart\" data-chart=\"").append(Html.esc(name)).append("\" xmlns=\"http://www.w3.org/2000/svg\" ")
                .append("width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(Html.esc(title))
                .append("\"><title>").append(Html.esc(title)).append("</title>");
        return s;
    }

    private static void axis(StringBuilder s, double max, String unit) {
        s.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(PLOT_BOTTOM).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(PLOT_BOTTOM).append("\"/>");
        s.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(PLOT_TOP).append("\" x2=\"")
                .append(LEFT).append("\" y2=\"").append(PLOT_BOTTOM).append("\"/>");
        s.append("<text class=\"tick\" x=\"").append(LEFT - 4).append("\" y=\"").append(PLOT_TOP + 4)
                .append("\" text-anchor=\"end\">").append(Html.esc(fmt(max) + unit)).append("</text>");
        s.append("<text class=\"tick\" x=\"").append(LEFT - 4).append("\" y=\"").append(PLOT_BOTTOM)
                .append("\" text-anchor=\"end\">0</text>");
    }

    private static void rect(StringBuilder s, String cls, double x, double y, double w, double h, double value,
                             String tooltip) {
        s.append("<rect class=\"").append(cls).append("\" x=\"").append(f(x)).append("\" y=\"").append(f(y))
                .append("\" width=\"").append(f(w)).append("\" height=\"").append(f(h)).append("\" data-value=\"")
                .append(Double.isNaN(value) ? "NaN" : Double.toString(value)).append("\"><title>")
                .append(Html.esc(tooltip)).append("</title></rect>");
    }

    private static void label(StringBuilder s, double x, String text) {
        String t = text.length() > 13 ? text.substring(0, 12) + "\u2026" : text;
        s.append("<text class=\"xlabel\" x=\"").append(f(x)).append("\" y=\"").append(PLOT_BOTTOM + 14)
                .append("\" text-anchor=\"middle\">").append(Html.esc(t)).append("</text>");
    }

    private static void legend(StringBuilder s, Iterable<String> names) {
        int j = 0;
        double x = LEFT;
        for (String n : names) {
            String t = n.length() > 24 ? n.substring(0, 23) + "\u2026" : n;
            s.append("<rect class=\"s").append(j % 6).append("\" x=\"").append(f(x)).append("\" y=\"")
                    .append(HEIGHT - 18).append("\" width=\"10\" height=\"10\"/>");
            s.append("<text class=\"legend\" x=\"").append(f(x + 14)).append("\" y=\"").append(HEIGHT - 9)
                    .append("\">").append(Html.esc(t)).append("</text>");
            x += 24 + 7 * t.length();
            j++;
        }
    }

    /** Every how many positions an x label is drawn, so that at most {@value #MAX_LABELS} labels share the axis. */
    static int stride(int positions) {
        return Math.max(1, (positions + MAX_LABELS - 1) / MAX_LABELS);
    }

    private static double plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    /** The drawn height of {@code value} on an axis from 0 to {@code max}. */
    static double height(double value, double max) {
        if (!(value > 0) || !(max > 0) || Double.isInfinite(value)) {
            return 0;
        }
        return value / max * PLOT_HEIGHT;
    }

    private static double finite(double v) {
        return Double.isFinite(v) && v > 0 ? v : 0;
    }

    private static String fmt(double v) {
        return Html.num(v);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
