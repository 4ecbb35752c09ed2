package dev.mlops.drift.internal;

import dev.mlops.core.table.BooleanColumn;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.drift.ColumnHistogram;
import dev.mlops.drift.DriftInputException;
import dev.mlops.drift.StatResult;
import dev.mlops.drift.StatTest;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One column's reference and current values, prepared once for any number of tests: sorted finite
 * doubles for a numeric column, counts over the sorted union of categories for a categorical one.
 * Nulls and NaNs are missing values: dropped and counted.
 */
public final class Samples {

    private final String column;
    private final boolean numeric;
    private final double[] ref;
    private final double[] cur;
    private final int refMissing;
    private final int curMissing;
    private double[][] counts; // {refCounts, curCounts}, aligned; computed on first use for numeric columns
    private List<String> labels; // category labels of a categorical column, aligned with counts
    private double[][] shares;
    /** Set for a reference from a quantile sketch beyond its exact range: its exact population std, else NaN. */
    private double sketchStd = Double.NaN;

    private Samples(String column, boolean numeric, double[] ref, double[] cur, double[][] counts, int refMissing, int curMissing) {
        this.column = column;
        this.numeric = numeric;
        this.ref = ref;
        this.cur = cur;
        this.counts = counts;
        this.refMissing = refMissing;
        this.curMissing = curMissing;
    }

    // ------------------------------------------------------------------ construction

    /** A numeric pair from arrays; NaN is missing, an infinity is refused. */
    public static Samples numeric(String column, double[] reference, double[] current) {
        double[] r = finiteSorted(column, "reference", reference, null);
        double[] c = finiteSorted(column, "current", current, null);
        return checked(new Samples(column, true, r, c, null, reference.length - r.length, current.length - c.length));
    }

    /** A numeric pair from DOUBLE, LONG or BOOLEAN columns; nulls and NaN are missing. */
    public static Samples numeric(String column, Column reference, Column current) {
        double[] rawR = toDoubles(reference);
        double[] rawC = toDoubles(current);
        double[] r = finiteSorted(column, "reference", rawR, reference);
        double[] c = finiteSorted(column, "current", rawC, current);
        return checked(new Samples(column, true, r, c, null, rawR.length - r.length, rawC.length - c.length));
    }

    /** A categorical pair from lists of labels; null is missing. */
    public static Samples categorical(String column, List<String> reference, List<String> current) {
        TreeMap<String, long[]> byLabel = new TreeMap<>();
        int refMissing = 0;
        int curMissing = 0;
        for (String s : reference) {
            if (s == null) {
                refMissing++;
            } else {
                byLabel.computeIfAbsent(s, k -> new long[2])[0]++;
            }
        }
        for (String s : current) {
            if (s == null) {
                curMissing++;
            } else {
                byLabel.computeIfAbsent(s, k -> new long[2])[1]++;
            }
        }
        return categorical(column, byLabel, refMissing, curMissing);
    }

    /**
     * A categorical pair from any two columns of the same kind: a STRING column by its dictionary codes,
     * any other by the text of its cells; nulls (and NaN doubles) are missing.
     */
    public static Samples categorical(String column, Column reference, Column current) {
        TreeMap<String, long[]> byLabel = new TreeMap<>();
        int rm = countInto(reference, byLabel, 0);
        int cm = countInto(current, byLabel, 1);
        return categorical(column, byLabel, rm, cm);
    }

    /** The reference side from a profile, the current side from a column. */
    public static Samples fromProfile(ColumnProfile profile, Column current) {
        String column = profile.name();
        int refMissing = (int) Math.min(profile.missing(), Integer.MAX_VALUE);
        if (profile.kind() == dev.mlops.drift.ColumnKind.NUMERIC) {
            double[] raw = toDoubles(current);
            double[] c = finiteSorted(column, "current", raw, current);
            QuantileSketch sketch = profile.sketch();
            double[] ref = sketch == null ? profile.sorted() : sketch.expand(column);
            Samples s = checked(new Samples(column, true, ref, c, null, refMissing, raw.length - c.length));
            if (sketch != null && !sketch.isExact()) {
                s.sketchStd = sketch.std();
            }
            return s;
        }
        TreeMap<String, long[]> byLabel = new TreeMap<>();
        for (Map.Entry<String, Long> e : profile.counts().entrySet()) {
            byLabel.put(e.getKey(), new long[] {e.getValue(), 0});
        }
        int cm = countInto(current, byLabel, 1);
        return categorical(column, byLabel, refMissing, cm);
    }

    /** The exact profile of one reference column. */
    public static ColumnProfile profile(String column, dev.mlops.drift.ColumnKind kind, Column reference) {
        if (kind == dev.mlops.drift.ColumnKind.NUMERIC) {
            double[] raw = toDoubles(reference);
            double[] r = finiteSorted(column, "reference", raw, reference);
            return new ColumnProfile(column, kind, r, null, raw.length - r.length);
        }
        TreeMap<String, long[]> byLabel = new TreeMap<>();
        int missing = countInto(reference, byLabel, 0);
        TreeMap<String, Long> counts = new TreeMap<>();
        byLabel.forEach((k, v) -> counts.put(k, v[0]));
        return new ColumnProfile(column, kind, null, counts, missing);
    }

    /** The quantile-sketch profile of one numeric reference column (exact while it has at most 20 distinct values). */
    public static ColumnProfile sketchProfile(String column, Column reference, int k) {
        double[] raw = toDoubles(reference);
        double[] r = finiteSorted(column, "reference", raw, reference);
        QuantileSketch sketch = new QuantileSketch(k);
        int values = r.length;
        sketch.addSortedOwned(r); // r is this method's own copy
        return new ColumnProfile(column, dev.mlops.drift.ColumnKind.NUMERIC, null, null, sketch, raw.length - values);
    }

    private static int countInto(Column col, TreeMap<String, long[]> byLabel, int side) {
        int missing = 0;
        if (col instanceof StringColumn s) {
            int[] codeCounts = s.codeCounts();
            List<String> dict = s.dictionary();
            for (int i = 0; i < codeCounts.length; i++) {
                if (codeCounts[i] > 0) {
                    byLabel.computeIfAbsent(dict.get(i), k -> new long[2])[side] += codeCounts[i];
                }
            }
            return s.nullCount();
        }
        Map<String, long[]> local = new HashMap<>();
        for (int i = 0; i < col.size(); i++) {
            Object v = col.value(i);
            if (v == null || (v instanceof Double d && d.isNaN())) {
                missing++;
                continue;
            }
            String label = switch (col) {
                case DoubleColumn d -> {
                    double x = d.get(i);
                    yield x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
                }
                default -> v.toString();
            };
            local.computeIfAbsent(label, k -> new long[1])[0]++;
        }
        for (Map.Entry<String, long[]> e : local.entrySet()) {
            byLabel.computeIfAbsent(e.getKey(), k -> new long[2])[side] += e.getValue()[0];
        }
        return missing;
    }

    private static Samples categorical(String column, TreeMap<String, long[]> byLabel, int refMissing, int curMissing) {
        double[] rc = new double[byLabel.size()];
        double[] cc = new double[byLabel.size()];
        int i = 0;
        long nr = 0;
        long nc = 0;
        for (long[] v : byLabel.values()) {
            rc[i] = v[0];
            cc[i] = v[1];
            nr += v[0];
            nc += v[1];
            i++;
        }
        if (nr == 0 || nc == 0) {
            throw empty(column, nr == 0 ? "reference" : "current", nr == 0 ? refMissing : curMissing);
        }
        Samples s = new Samples(column, false, null, null, new double[][] {rc, cc}, refMissing, curMissing);
        s.labels = List.copyOf(byLabel.keySet());
        return s;
    }

    /** Most bars of a categorical histogram; beyond it the rarest categories are pooled into "(other)". */
    static final int MAX_BARS = 40;

    /** The bins the HTML report draws. */
    public ColumnHistogram histogram() {
        List<String> names = new java.util.ArrayList<>();
        List<Double> r = new java.util.ArrayList<>();
        List<Double> c = new java.util.ArrayList<>();
        if (numeric && manyDistinct()) {
            double[] edges = Univariate.sturgesEdges(ref, cur);
            double[] rs = Univariate.histogram(ref, edges);
            double[] cs = Univariate.histogram(cur, edges);
            for (int i = 0; i < rs.length; i++) {
                names.add("[" + fmt(edges[i]) + ", " + fmt(edges[i + 1]) + (i == rs.length - 1 ? "]" : ")"));
                r.add(rs[i]);
                c.add(cs[i]);
            }
            return new ColumnHistogram(names, r, c);
        }
        double[][] cnt = counts();
        List<String> keys;
        if (numeric) {
            double[][] vc = Univariate.valueCounts(ref, cur);
            keys = new java.util.ArrayList<>();
            for (double v : vc[0]) {
                keys.add(fmt(v));
            }
        } else {
            keys = labels;
        }
        double nr = sum(cnt[0]);
        double nc = sum(cnt[1]);
        Integer[] order = new Integer[keys.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        boolean pooled = order.length > MAX_BARS;
        if (pooled) {
            Arrays.sort(order, (x, y) -> Double.compare(cnt[0][y] + cnt[1][y], cnt[0][x] + cnt[1][x]));
        }
        double otherR = 0;
        double otherC = 0;
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            if (pooled && k >= MAX_BARS - 1) {
                otherR += cnt[0][i];
                otherC += cnt[1][i];
                continue;
            }
            names.add(keys.get(i));
            r.add(cnt[0][i] / nr);
            c.add(cnt[1][i] / nc);
        }
        if (pooled) {
            names.add("(other)");
            r.add(otherR / nr);
            c.add(otherC / nc);
        }
        return new ColumnHistogram(names, r, c);
    }

    /**
     * Whether the reference has more than 20 distinct values (then shares are Sturges bins). A sketched reference
     * left exact mode only after its 21st distinct value, whatever its retained values show.
     */
    private boolean manyDistinct() {
        return !Double.isNaN(sketchStd) || Univariate.distinct(ref) > Univariate.MAX_DISTINCT_FOR_VALUE_SHARES;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.4g", v);
    }

    private static double[] toDoubles(Column c) {
        return switch (c) {
            case DoubleColumn d -> d.toDoubleArray();
            case LongColumn l -> l.toDoubleArray();
            case BooleanColumn b -> b.toDoubleArray();
            default -> throw new DriftInputException(c.name(), "a numeric test needs a DOUBLE, LONG or BOOLEAN column, found "
                    + c.type(), "declare the column categorical");
        };
    }

    private static double[] finiteSorted(String column, String side, double[] values, Column source) {
        double[] out = new double[values.length];
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                continue;
            }
            if (Double.isInfinite(v)) {
                throw new DriftInputException(column, side + " row " + i + " holds " + v
                        + " (infinities have no place on a histogram or an empirical distribution)",
                        "replace infinities with null or a finite cap before the drift check");
            }
            out[n++] = v;
        }
        double[] sorted = n == out.length ? out : Arrays.copyOf(out, n);
        Arrays.sort(sorted);
        return sorted;
    }

    private static Samples checked(Samples s) {
        if (s.ref.length == 0) {
            throw empty(s.column, "reference", s.refMissing);
        }
        if (s.cur.length == 0) {
            throw empty(s.column, "current", s.curMissing);
        }
        return s;
    }

    private static DriftInputException empty(String column, String side, int missing) {
        return new DriftInputException(column, "the " + side + " side has no values ("
                + (missing == 0 ? "0 rows" : missing + " null/NaN cells and nothing else") + ")",
                "drop the column from the check or supply " + side + " data that has values");
    }

    // ------------------------------------------------------------------ properties

    public String column() {
        return column;
    }

    public boolean isNumeric() {
        return numeric;
    }

    public int referenceMissing() {
        return refMissing;
    }

    public int currentMissing() {
        return curMissing;
    }

    /** Values in the reference, missing ones excluded. */
    public long referenceSize() {
        return numeric ? ref.length : (long) sum(counts()[0]);
    }

    /** Distinct values over reference and current together. */
    public int distinctUnion() {
        return counts()[0].length;
    }

    private double[][] counts() {
        if (counts == null) {
            double[][] vc = Univariate.valueCounts(ref, cur);
            counts = new double[][] {vc[1], vc[2]};
        }
        return counts;
    }

    private double[][] shares() {
        if (shares == null) {
            if (numeric && !Double.isNaN(sketchStd)) {
                double[] edges = Univariate.sturgesEdges(ref, cur);
                shares = new double[][] {Univariate.histogram(ref, edges), Univariate.histogram(cur, edges)};
            } else if (numeric) {
                shares = Univariate.shares(ref, cur);
            } else {
                double[][] c = counts();
                double nr = sum(c[0]);
                double nc = sum(c[1]);
                double[] r = new double[c[0].length];
                double[] s = new double[c[0].length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = c[0][i] / nr;
                    s[i] = c[1][i] / nc;
                }
                shares = new double[][] {r, s};
            }
        }
        return shares;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    /** Whether {@code test} applies to this column (type and, for binary tests, the number of categories). */
    public boolean applies(StatTest test) {
        if (test.numericOnly() && !numeric) {
            return false;
        }
        if (test == StatTest.CRAMER_VON_MISES) {
            return ref.length >= 2 && cur.length >= 2;
        }
        if (test == StatTest.ANDERSON) {
            return distinctUnion() >= 2;
        }
        return !test.binaryOnly() || distinctUnion() <= 2;
    }

    // ------------------------------------------------------------------ tests

    /** Runs {@code test}; refuses one that does not apply, with the reason. */
    public StatResult run(StatTest test) {
        if (test.numericOnly() && !numeric) {
            throw new DriftInputException(column, "test '" + test.id() + "' needs a numeric column, this one is categorical",
                    "use chisquare, jensenshannon, psi or another test that takes categories");
        }
        if (test.binaryOnly() && distinctUnion() > 2) {
            throw new DriftInputException(column, "test '" + test.id() + "' needs at most 2 categories, found "
                    + distinctUnion() + " over reference and current", "use chisquare or jensenshannon");
        }
        if (test == StatTest.CRAMER_VON_MISES && (ref.length < 2 || cur.length < 2)) {
            throw new DriftInputException(column, "test 'cramer_von_mises' needs at least 2 values per side, found "
                    + ref.length + " (reference) and " + cur.length + " (current)", "use ks, which takes any size");
        }
        if (test == StatTest.ANDERSON && distinctUnion() < 2) {
            throw new DriftInputException(column, "test 'anderson' needs more than one distinct value over reference and current"
                    + " (scipy's anderson_ksamp refuses a constant column)", "use ks or wasserstein");
        }
        return switch (test) {
            case CRAMER_VON_MISES -> result(test, Univariate.cramerVonMises(ref, cur));
            case ANDERSON -> result(test, Univariate.anderson(ref, cur));
            case EMPIRICAL_MMD -> result(test, Univariate.mmd(ref, cur));
            case KS -> result(test, KsTwoSample.test(ref, cur));
            case WASSERSTEIN -> new StatResult(test, Double.isNaN(sketchStd) ? Univariate.wassersteinNormed(ref, cur)
                    : Univariate.wasserstein(ref, cur) / Math.max(sketchStd, 0.001), Double.NaN);
            case ENERGY -> new StatResult(test, Univariate.energy(ref, cur), Double.NaN);
            case MANNW -> result(test, Univariate.mannWhitney(ref, cur));
            case T_TEST -> result(test, Univariate.welch(ref, cur));
            case PSI -> new StatResult(test, Univariate.psi(shares()[0], shares()[1]), Double.NaN);
            case KL_DIV -> new StatResult(test, Univariate.kl(shares()[0], shares()[1]), Double.NaN);
            case JENSENSHANNON -> new StatResult(test, Univariate.jensenShannon(shares()[0], shares()[1]), Double.NaN);
            case HELLINGER -> new StatResult(test, Univariate.hellinger(shares()[0], shares()[1]), Double.NaN);
            case TVD -> new StatResult(test, Univariate.tvd(shares()[0], shares()[1]), Double.NaN);
            case CHISQUARE -> result(test, Univariate.chiSquare(counts()[0], counts()[1]));
            case G_TEST -> result(test, Univariate.gTest(counts()[0], counts()[1]));
            case Z -> result(test, Univariate.zTest(counts()[0], counts()[1]));
            case FISHER_EXACT -> result(test, Univariate.fisher(counts()[0], counts()[1]));
        };
    }

    private static StatResult result(StatTest test, double[] statAndP) {
        return new StatResult(test, statAndP[0], statAndP[1]);
    }
}
