package dev.mlops.drift;

import java.util.Locale;

/**
 * Multiple-testing correction across the columns whose chosen test yields a p-value. The verdict of such
 * a column compares the <em>adjusted</em> p-value with its threshold ({@code p_adj < threshold}); distances
 * are not adjusted. With m such columns:
 * <ul>
 *   <li>{@link #BONFERRONI}: {@code p_adj = min(1, m p)}.</li>
 *   <li>{@link #BENJAMINI_HOCHBERG}: the step-up adjusted p-values, {@code p_adj(i) = min over j >= i of
 *       min(1, m p(j) / j)} with the p-values sorted ascending (as {@code statsmodels multipletests(method='fdr_bh')}).</li>
 * </ul>
 */
public enum Correction {
    NONE("none"),
    BONFERRONI("bonferroni"),
    BENJAMINI_HOCHBERG("bh");

    private final String id;

    Correction(String id) {
        this.id = id;
    }

    /** {@code none}, {@code bonferroni} or {@code bh}. */
    public String id() {
        return id;
    }

    /** The correction called {@code id}. */
    public static Correction of(String id) {
        String key = id.trim().toLowerCase(Locale.ROOT);
        for (Correction c : values()) {
            if (c.id.equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown correction '" + id + "'; known: none, bonferroni, bh");
    }

    /** The adjusted p-values, in the order given; NaN entries stay NaN and do not count in m. */
    public double[] adjust(double[] p) {
        double[] out = p.clone();
        if (this == NONE) {
            return out;
        }
        int m = 0;
        for (double v : p) {
            if (!Double.isNaN(v)) {
                m++;
            }
        }
        if (this == BONFERRONI) {
            for (int i = 0; i < p.length; i++) {
                out[i] = Double.isNaN(p[i]) ? Double.NaN : Math.min(1.0, p[i] * m);
            }
            return out;
        }
        Integer[] order = new Integer[m];
        int k = 0;
        for (int i = 0; i < p.length; i++) {
            if (!Double.isNaN(p[i])) {
                order[k++] = i;
            }
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, Math.min(1.0, p[i] * m / rank));
            out[i] = running;
        }
        return out;
    }
}
