package dev.mlops.drift.internal;

import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Table;
import dev.mlops.drift.DriftInputException;
import dev.mlops.drift.PcaDriftDetector;
import dev.mlops.drift.PcaDriftResult;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The {@link PcaDriftDetector} behind its builder; semantics are documented there. */
public final class DefaultPcaDriftDetector implements PcaDriftDetector {

    private final List<String> columns;
    private final java.util.Set<String> categorical;
    private final double varianceExplained;
    private final int bootstrapSamples;
    private final double alpha;
    private final long seed;

    public DefaultPcaDriftDetector(List<String> columns, java.util.Set<String> categorical, double varianceExplained,
                                   int bootstrapSamples, double alpha, long seed) {
        this.columns = columns;
        this.categorical = categorical;
        this.varianceExplained = varianceExplained;
        this.bootstrapSamples = bootstrapSamples;
        this.alpha = alpha;
        this.seed = seed;
    }

    /** A fitted PCA: standardization and the kept axes. */
    public record Fit(double[] mean, double[] std, double[] ratio, double[][] axes) {

        /** Reconstruction error of one raw row. */
        double error(double[] row) {
            int d = mean.length;
            double[] z = new double[d];
            for (int j = 0; j < d; j++) {
                z[j] = (row[j] - mean[j]) / std[j];
            }
            double[] zhat = new double[d];
            for (double[] v : axes) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += z[j] * v[j];
                }
                for (int j = 0; j < d; j++) {
                    zhat[j] += dot * v[j];
                }
            }
            double s = 0;
            for (int j = 0; j < d; j++) {
                double e = z[j] - zhat[j];
                s += e * e;
            }
            return Math.sqrt(s);
        }
    }

    /** Standardizes the rows and keeps the smallest number of axes whose cumulative ratio exceeds {@code target}. */
    public static Fit fit(double[][] rows, double target) {
        int n = rows.length;
        int d = rows[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                double e = r[j] - mean[j];
                std[j] += e * e;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / n);
        }
        double[][] cov = new double[d][d];
        double[] z = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                z[j] = (r[j] - mean[j]) / std[j];
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    cov[a][b] += z[a] * z[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
        double[] values = eig.getRealEigenvalues();
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        double total = 0;
        for (double v : values) {
            total += Math.max(v, 0);
        }
        double[] ratio = new double[d];
        for (int j = 0; j < d; j++) {
            ratio[j] = Math.max(values[order[j]], 0) / total;
        }
        int k = 0;
        double cum = 0;
        while (k < d) {               // np.searchsorted(cumsum, target, side='right') + 1
            cum += ratio[k];
            k++;
            if (cum > target) {
                break;
            }
        }
        double[][] axes = new double[k][];
        for (int c = 0; c < k; c++) {
            axes[c] = eig.getEigenvector(order[c]).toArray();
        }
        return new Fit(mean, std, ratio, axes);
    }

    @Override
    public PcaDriftResult compare(Table reference, Table current) {
        List<String> cols = columns != null ? columns : usableColumns(reference);
        if (cols.size() < 2) {
            throw new DriftInputException(null, "the reference has " + cols.size() + " usable column(s) " + cols
                    + "; PCA drift needs at least 2", "pass at least 2 columns with columns(...)");
        }
        if (reference.rowCount() < 2) {
            throw new DriftInputException(null, "the reference table has " + reference.rowCount() + " rows; PCA needs at least 2",
                    "pass the training data as reference");
        }
        if (current.rowCount() == 0) {
            throw new DriftInputException(null, "the current table has 0 rows", "check a window with data");
        }
        Map<String, Map<String, Double>> shares = new java.util.HashMap<>();
        for (String c : cols) {
            if (reference.schema().contains(c) && isCategorical(reference.column(c))) {
                shares.put(c, frequencies(reference.column(c)));
            }
        }
        double[][] ref = matrix(reference, cols, "reference", false, null, new int[1], shares);
        for (int j = 0; j < cols.size(); j++) {
            double first = ref[0][j];
            boolean constant = true;
            for (double[] r : ref) {
                constant &= r[j] == first;
            }
            if (constant) {
                throw new DriftInputException(cols.get(j), "constant in the reference (every value " + first
                        + "), so it cannot be standardized", "leave it out of columns(...)");
            }
        }
        Fit fit = fit(ref, varianceExplained);
        int[] imputed = {0};
        double[][] cur = matrix(current, cols, "current", true, fit.mean(), imputed, shares);
        double[] refErrors = new double[ref.length];
        double refError = 0;
        for (int i = 0; i < ref.length; i++) {
            refErrors[i] = fit.error(ref[i]);
            refError += refErrors[i];
        }
        refError /= ref.length;
        double curError = 0;
        for (double[] r : cur) {
            curError += fit.error(r);
        }
        curError /= cur.length;
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] boot = new double[bootstrapSamples];
        for (int b = 0; b < bootstrapSamples; b++) {
            double s = 0;
            for (int i = 0; i < cur.length; i++) {
                s += refErrors[rnd.nextInt(ref.length)];
            }
            boot[b] = s / cur.length;
        }
        Arrays.sort(boot);
        double lower = quantile(boot, alpha / 2);
        double upper = quantile(boot, 1 - alpha / 2);
        return new PcaDriftResult(cols, fit.axes().length, fit.ratio(), refError, curError, lower, upper,
                curError < lower || curError > upper, imputed[0]);
    }

    /** numpy's default (linear) quantile of sorted values. */
    public static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private List<String> usableColumns(Table t) {
        List<String> out = new ArrayList<>();
        for (var f : t.schema()) {
            if (f.type() != ColumnType.TIMESTAMP || categorical.contains(f.name())) {
                out.add(f.name());
            }
        }
        return out;
    }

    private boolean isCategorical(Column c) {
        return categorical.contains(c.name()) || c.type() == ColumnType.STRING || c.type() == ColumnType.BOOLEAN
                || c.type() == ColumnType.TIMESTAMP;
    }

    /** The label of a categorical cell: its text ({@code 3} for 3.0), {@code null} for a missing cell. */
    private static String label(Column c, int row) {
        Object v = c.value(row);
        if (v == null || (v instanceof Double d && d.isNaN())) {
            return null;
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return v.toString();
    }

    /** Each reference category's share of the reference rows (a missing cell is a category of its own). */
    private static Map<String, Double> frequencies(Column c) {
        Map<String, Double> counts = new java.util.HashMap<>();
        for (int i = 0; i < c.size(); i++) {
            counts.merge(String.valueOf(label(c, i)), 1.0, Double::sum);
        }
        counts.replaceAll((k, v) -> v / c.size());
        return counts;
    }

    private double[][] matrix(Table t, List<String> cols, String side, boolean impute, double[] mean,
                              int[] imputed, Map<String, Map<String, Double>> shares) {
        double[][] m = new double[t.rowCount()][cols.size()];
        for (int j = 0; j < cols.size(); j++) {
            String name = cols.get(j);
            if (!t.schema().contains(name)) {
                throw new DriftInputException(name, "missing from the " + side + " table (columns: "
                        + t.schema().names() + ")", "pass the same columns on both sides");
            }
            Column c = t.column(name);
            Map<String, Double> share = shares.get(name);
            if (share != null) {
                for (int i = 0; i < t.rowCount(); i++) {
                    m[i][j] = share.getOrDefault(String.valueOf(label(c, i)), 0.0);
                }
                continue;
            }
            if (c.type() != ColumnType.DOUBLE && c.type() != ColumnType.LONG) {
                throw new DriftInputException(name, "is " + c.type() + " in the " + side + " table but numeric in the"
                        + " reference", "give the column the same type on both sides, or list it as categorical");
            }
            for (int i = 0; i < t.rowCount(); i++) {
                Object v = c.value(i);
                double x = v == null ? Double.NaN : ((Number) v).doubleValue();
                if (Double.isInfinite(x)) {
                    throw new DriftInputException(name, "the " + side + " table has " + x + " at row " + i,
                            "replace it with null or a finite cap");
                }
                if (Double.isNaN(x)) {
                    if (!impute) {
                        throw new DriftInputException(name, "the " + side + " table has a null or NaN at row " + i
                                + "; the reference must be complete to fit PCA", "drop or fill incomplete reference rows");
                    }
                    x = mean[j];
                    imputed[0]++;
                }
                m[i][j] = x;
            }
        }
        return m;
    }
}
