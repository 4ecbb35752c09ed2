package dev.mlops.drift.internal;

import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Table;
import dev.mlops.drift.DomainClassifierDriftDetector;
import dev.mlops.drift.DomainClassifierResult;
import dev.mlops.drift.DriftInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/** The {@link DomainClassifierDriftDetector} behind its builder; semantics are documented there. */
public final class DefaultDomainClassifier implements DomainClassifierDriftDetector {

    private static final int STEPS = 400;
    private static final double RATE = 0.5;
    private static final double L2 = 1e-3;

    private final List<String> columns;
    private final Set<String> categorical;
    private final int folds;
    private final int permutations;
    private final double alpha;
    private final long seed;
    private final java.util.concurrent.Executor executor;

    public DefaultDomainClassifier(List<String> columns, Set<String> categorical, int folds, int permutations,
                                   double alpha, long seed, java.util.concurrent.Executor executor) {
        this.executor = executor;
        this.columns = columns;
        this.categorical = categorical;
        this.folds = folds;
        this.permutations = permutations;
        this.alpha = alpha;
        this.seed = seed;
    }

    @Override
    public DomainClassifierResult compare(Table reference, Table current) {
        List<String> cols = columns;
        if (cols == null) {
            cols = new ArrayList<>();
            for (var f : reference.schema()) {
                if (f.type() != ColumnType.TIMESTAMP) {
                    cols.add(f.name());
                }
            }
        }
        for (String[] side : new String[][] {{"reference"}, {"current"}}) {
            Table t = side[0].equals("reference") ? reference : current;
            if (t.rowCount() < folds) {
                throw new DriftInputException(null, "the " + side[0] + " table has " + t.rowCount() + " rows, fewer than the "
                        + folds + " folds", "check more rows or lower folds(...)");
            }
        }
        double[][] x = features(reference, current, cols);
        int n = x.length;
        boolean[] y = new boolean[n];
        for (int i = reference.rowCount(); i < n; i++) {
            y[i] = true;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] fold = new int[n];
        int[] order = permutation(n, rnd);
        for (int i = 0; i < n; i++) {
            fold[order[i]] = i % folds;
        }
        double observed = auc(outOfFold(x, y, fold), y);
        double[] permuted = new double[permutations];
        int atLeast = 0;
        for (int p = 0; p < permutations; p++) {
            int[] perm = permutation(n, rnd);
            boolean[] yp = new boolean[n];
            for (int i = 0; i < n; i++) {
                yp[i] = y[perm[i]];
            }
            permuted[p] = auc(outOfFold(x, yp, fold), yp);
            if (permuted[p] >= observed) {
                atLeast++;
            }
        }
        Arrays.sort(permuted);
        double pValue = (1.0 + atLeast) / (1.0 + permutations);
        return new DomainClassifierResult(observed, pValue, DefaultPcaDriftDetector.quantile(permuted, 1 - alpha),
                pValue < alpha, x[0].length, permutations);
    }

    private static int[] permutation(int n, SplittableRandom rnd) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private double[] outOfFold(double[][] x, boolean[] y, int[] fold) {
        double[] scores = new double[x.length];
        // folds train in parallel (the caller and the executor); each writes only its own rows' scores
        Parallel.forEach(folds, executor, f -> {
            double[] w = train(x, y, fold, f);
            for (int i = 0; i < x.length; i++) {
                if (fold[i] == f) {
                    scores[i] = linear(w, x[i]);
                }
            }
        });
        return scores;
    }

    private static double linear(double[] w, double[] row) {
        double s = w[0];
        for (int j = 0; j < row.length; j++) {
            s += w[j + 1] * row[j];
        }
        return s;
    }

    /** Logistic regression on the rows not in {@code heldOut}. */
    private static double[] train(double[][] x, boolean[] y, int[] fold, int heldOut) {
        int d = x[0].length;
        double[] w = new double[d + 1];
        double[] grad = new double[d + 1];
        int m = 0;
        for (int f : fold) {
            if (f != heldOut) {
                m++;
            }
        }
        for (int step = 0; step < STEPS; step++) {
            Arrays.fill(grad, 0);
            for (int i = 0; i < x.length; i++) {
                if (fold[i] == heldOut) {
                    continue;
                }
                double p = 1 / (1 + Math.exp(-linear(w, x[i])));
                double e = p - (y[i] ? 1 : 0);
                grad[0] += e;
                for (int j = 0; j < d; j++) {
                    grad[j + 1] += e * x[i][j];
                }
            }
            w[0] -= RATE * grad[0] / m;
            for (int j = 1; j <= d; j++) {
                w[j] -= RATE * (grad[j] / m + L2 * w[j]);
            }
        }
        return w;
    }

    /** ROC AUC with ties counting half, by ranks (Mann-Whitney). */
    public static double auc(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[idx[k]]) {
                    rankSumPos += rank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            throw new IllegalArgumentException("ROC AUC needs both classes; got " + pos + " positive and " + neg + " negative");
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    private double[][] features(Table reference, Table current, List<String> cols) {
        int nr = reference.rowCount();
        int n = nr + current.rowCount();
        List<double[]> numeric = new ArrayList<>();
        List<String[]> cats = new ArrayList<>();
        for (String c : cols) {
            for (Table t : List.of(reference, current)) {
                if (!t.schema().contains(c)) {
                    throw new DriftInputException(c, "missing from the " + (t == reference ? "reference" : "current")
                            + " table (columns: " + t.schema().names() + ")", "pass the same columns on both sides");
                }
            }
            ColumnType type = reference.column(c).type();
            boolean isNumeric = (type == ColumnType.DOUBLE || type == ColumnType.LONG) && !categorical.contains(c);
            if (isNumeric) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    Column col = i < nr ? reference.column(c) : current.column(c);
                    int row = i < nr ? i : i - nr;
                    Object o = col.value(row);
                    double d = o instanceof Number num ? num.doubleValue() : Double.NaN;
                    if (o != null && !(o instanceof Number)) {
                        throw new DriftInputException(c, "is numeric in the reference but holds '" + o + "' in the current table",
                                "give both sides the same type or list it as categorical");
                    }
                    if (Double.isInfinite(d)) {
                        throw new DriftInputException(c, "the " + (i < nr ? "reference" : "current") + " table has " + d
                                + " at row " + row, "replace it with null or a finite cap");
                    }
                    v[i] = d;
                }
                double mean = 0;
                int k = 0;
                for (double d : v) {
                    if (!Double.isNaN(d)) {
                        mean += d;
                        k++;
                    }
                }
                mean = k == 0 ? 0 : mean / k;
                double var = 0;
                for (double d : v) {
                    if (!Double.isNaN(d)) {
                        var += (d - mean) * (d - mean);
                    }
                }
                double sd = k == 0 ? 0 : Math.sqrt(var / k);
                for (int i = 0; i < n; i++) {
                    v[i] = Double.isNaN(v[i]) || sd == 0 ? 0 : (v[i] - mean) / sd;
                }
                numeric.add(v);
            } else {
                String[] labels = new String[n];
                for (int i = 0; i < n; i++) {
                    Object o = i < nr ? reference.column(c).value(i) : current.column(c).value(i - nr);
                    labels[i] = o == null ? "\u0000missing" : o.toString();
                }
                cats.add(labels);
            }
        }
        List<double[]> out = new ArrayList<>(numeric);
        for (int a = 0; a < numeric.size(); a++) {
            for (int b = a; b < numeric.size(); b++) {
                double[] p = new double[n];
                for (int i = 0; i < n; i++) {
                    p[i] = numeric.get(a)[i] * numeric.get(b)[i];
                }
                out.add(p);
            }
        }
        for (String[] labels : cats) {
            Map<String, double[]> oneHot = new LinkedHashMap<>();
            for (String l : new TreeSet<>(Arrays.asList(labels))) {
                oneHot.put(l, new double[n]);
            }
            for (int i = 0; i < n; i++) {
                oneHot.get(labels[i])[i] = 1;
            }
            out.addAll(oneHot.values());
        }
        if (out.isEmpty()) {
            throw new DriftInputException(null, "no usable columns among " + cols, "pass numeric or categorical columns");
        }
        double[][] x = new double[n][out.size()];
        for (int j = 0; j < out.size(); j++) {
            double[] col = out.get(j);
            for (int i = 0; i < n; i++) {
                x[i][j] = col[i];
            }
        }
        return x;
    }
}
