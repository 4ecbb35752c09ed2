package dev.mlops.drift.internal;

import dev.mlops.drift.ColumnDrift;
import dev.mlops.drift.ColumnHistogram;
import dev.mlops.drift.Correction;
import dev.mlops.drift.DriftReport;

import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link DriftReport} as one self-contained HTML page: no scripts, no external fonts, styles or
 * images; histograms are inline SVG.
 */
public final class HtmlReport {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 180;
    private static final int PAD_LEFT = 44;
    private static final int PAD_BOTTOM = 28;
    private static final String REF_COLOR = "#4C72B0";
    private static final String CUR_COLOR = "#DD8452";

    private HtmlReport() {
    }

    public static String render(DriftReport r) {
        StringBuilder sb = new StringBuilder(16_384);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Drift report</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}\n")
                .append("th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append(".drift{color:#b00020;font-weight:bold}.ok{color:#2e7d32}\n")
                .append(".summary{font-size:1.15em}section{margin-top:1.5em}svg text{font-size:11px;fill:#444}\n")
                .append("</style>\n</head>\n<body>\n<h1>Drift report</h1>\n");
        sb.append("<p class=\"summary\">Dataset drift: ")
                .append(r.datasetDrift() ? "<span class=\"drift\">YES</span>" : "<span class=\"ok\">no</span>")
                .append(String.format(Locale.ROOT, " &mdash; %d of %d columns drifted (share %.3f; the dataset drifts at &ge; %.3f).",
                        r.driftedColumns(), r.columns().size(), r.shareDrifted(), r.driftShare()))
                .append("</p>\n<p>Reference: ").append(r.referenceRows()).append(" rows. Current: ").append(r.currentRows())
                .append(" rows. Multiple-testing correction: ").append(r.correction().id())
                .append(". Rule: a p-value test drifts when p &lt; threshold, a distance when statistic &ge; threshold.</p>\n");
        sb.append("<table>\n<thead><tr><th>column</th><th>type</th><th>test</th><th>statistic</th><th>p-value</th>")
                .append(r.correction() == Correction.NONE ? "" : "<th>adjusted p-value</th>")
                .append("<th>threshold</th><th>drift</th></tr></thead>\n<tbody>\n");
        int index = 0;
        for (ColumnDrift c : r.columns().values()) {
            sb.append("<tr><td><a href=\"#c").append(index++).append("\">").append(escape(c.column())).append("</a></td><td>")
                    .append(c.kind().id()).append("</td><td>").append(c.test().id()).append("</td><td class=\"num\">")
                    .append(number(c.statistic())).append("</td><td class=\"num\">")
                    .append(c.test().hasPValue() ? number(c.pValue()) : "&ndash;").append("</td>");
            if (r.correction() != Correction.NONE) {
                sb.append("<td class=\"num\">").append(c.test().hasPValue() ? number(c.adjustedPValue()) : "&ndash;").append("</td>");
            }
            sb.append("<td class=\"num\">").append(number(c.threshold())).append("</td><td>")
                    .append(c.drift() ? "<span class=\"drift\">drift</span>" : "<span class=\"ok\">ok</span>").append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
        index = 0;
        for (ColumnDrift c : r.columns().values()) {
            sb.append("<section id=\"c").append(index++).append("\">\n<h2>").append(escape(c.column())).append("</h2>\n<p>")
                    .append(c.test().id()).append(' ').append(c.test().hasPValue() ? "p-value " + number(c.pValue())
                            : "statistic " + number(c.statistic()))
                    .append(", threshold ").append(number(c.threshold())).append(": ")
                    .append(c.drift() ? "<span class=\"drift\">drift</span>" : "<span class=\"ok\">no drift</span>")
                    .append(". Missing values: ").append(c.referenceMissing()).append(" (reference), ")
                    .append(c.currentMissing()).append(" (current).</p>\n");
            svg(sb, c.column(), c.histogram());
            sb.append("</section>\n");
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void svg(StringBuilder sb, String column, ColumnHistogram h) {
        List<String> labels = h.labels();
        int bins = labels.size();
        double max = 0;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, Math.max(h.reference().get(i), h.current().get(i)));
        }
        if (max <= 0) {
            max = 1;
        }
        double plotW = WIDTH - PAD_LEFT - 10;
        double plotH = HEIGHT - PAD_BOTTOM - 20;
        double barW = plotW / Math.max(bins, 1);
        sb.append("<svg role=\"img\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\">\n<title>")
                .append(escape(column)).append(": reference and current shares</title>\n");
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"4\" width=\"10\" height=\"10\" fill=\"%s\" fill-opacity=\"0.6\"/>"
                + "<text x=\"%d\" y=\"13\">reference</text>", PAD_LEFT, REF_COLOR, PAD_LEFT + 14));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"4\" width=\"10\" height=\"10\" fill=\"%s\" fill-opacity=\"0.6\"/>"
                + "<text x=\"%d\" y=\"13\">current</text>%n", PAD_LEFT + 90, CUR_COLOR, PAD_LEFT + 104));
        double base = 20 + plotH;
        for (int i = 0; i < bins; i++) {
            double x = PAD_LEFT + i * barW;
            bar(sb, x, base, barW, h.reference().get(i) / max * plotH, REF_COLOR, labels.get(i), "reference", h.reference().get(i));
            bar(sb, x, base, barW, h.current().get(i) / max * plotH, CUR_COLOR, labels.get(i), "current", h.current().get(i));
        }
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>%n",
                PAD_LEFT, base, PAD_LEFT + plotW, base));
        sb.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"28\">%.0f%%</text><text x=\"4\" y=\"%.1f\">0%%</text>%n",
                max * 100, base));
        if (bins > 0) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", PAD_LEFT, HEIGHT - 8, escape(labels.get(0))));
            if (bins > 1) {
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\">%s</text>",
                        PAD_LEFT + plotW, HEIGHT - 8, escape(labels.get(bins - 1))));
            }
        }
        sb.append("\n</svg>\n");
    }

    private static void bar(StringBuilder sb, double x, double base, double w, double height, String color, String label,
                            String side, double share) {
        sb.append(String.format(Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.55\"><title>%s %s: %.2f%%</title></rect>%n",
                x + 0.5, base - height, Math.max(w - 1, 0.5), height, color, escape(label), side, share * 100));
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "&infin;" : "&minus;&infin;";
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
