package dev.mlops.examples;

import dev.mlops.core.NonRetriableException;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.Table;
import java.util.List;

/**
 * A small L2-regularised logistic regression for the flow demo, a stand-in until the registry module's
 * Tribuo trainers land. Features are standardised (mean, population standard deviation, fitted on the
 * training rows); the weights minimise {@code sum(logloss) + 0.5 * |w|^2} with an unpenalised intercept,
 * which is scikit-learn's {@code LogisticRegression(C=1.0)} objective, solved by Newton's method to a
 * gradient norm below 1e-10.
 */
final class LogisticRegression {

    static final String TARGET = "target";

    private LogisticRegression() {
    }

    /** Every column but the target, in table order. */
    static List<String> features(Table t) {
        return t.columns().stream().map(Column::name).filter(n -> !n.equals(TARGET)).toList();
    }

    static FlowDemo.Model fit(Table train) {
        List<String> features = features(train);
        int n = train.rowCount();
        int d = features.size();
        double[][] x = new double[n][];
        double[] mean = new double[d];
        double[] scale = new double[d];
        double[][] cols = new double[d][];
        for (int j = 0; j < d; j++) {
            cols[j] = train.toDoubleArray(features.get(j));
            double s = 0;
            for (double v : cols[j]) {
                s += v;
            }
            mean[j] = s / n;
            double ss = 0;
            for (double v : cols[j]) {
                ss += (v - mean[j]) * (v - mean[j]);
            }
            scale[j] = Math.sqrt(ss / n);
            if (scale[j] == 0) {
                scale[j] = 1; // as StandardScaler does for a constant column
            }
        }
        for (int i = 0; i < n; i++) {
            x[i] = new double[d + 1];
            for (int j = 0; j < d; j++) {
                x[i][j] = (cols[j][i] - mean[j]) / scale[j];
            }
            x[i][d] = 1.0; // intercept
        }
        double[] y = train.toDoubleArray(TARGET);
        double[] w = new double[d + 1];
        for (int iter = 0; iter < 100; iter++) {
            double[] grad = new double[d + 1];
            double[][] hess = new double[d + 1][d + 1];
            for (int i = 0; i < n; i++) {
                double p = sigmoid(dot(w, x[i]));
                double r = p - y[i];
                double s = p * (1 - p);
                for (int a = 0; a <= d; a++) {
                    grad[a] += r * x[i][a];
                    double sa = s * x[i][a];
                    for (int c = 0; c <= a; c++) {
                        hess[a][c] += sa * x[i][c];
                    }
                }
            }
            for (int a = 0; a <= d; a++) {
                for (int c = 0; c < a; c++) {
                    hess[c][a] = hess[a][c];
                }
                if (a < d) { // L2 on weights, not on the intercept
                    grad[a] += w[a];
                    hess[a][a] += 1;
                }
            }
            double norm = Math.sqrt(dot(grad, grad));
            if (norm < 1e-10) {
                break;
            }
            double[] step = solve(hess, grad);
            for (int a = 0; a <= d; a++) {
                w[a] -= step[a];
            }
        }
        double[] coef = java.util.Arrays.copyOf(w, d);
        return new FlowDemo.Model(features, mean, scale, coef, w[d]);
    }

    /** Probability of class 1 for row {@code i}. */
    static double predict(FlowDemo.Model m, Table t, int i) {
        double z = m.intercept();
        for (int j = 0; j < m.features().size(); j++) {
            z += m.coef()[j] * (t.doubleColumn(m.features().get(j)).get(i) - m.mean()[j]) / m.scale()[j];
        }
        return sigmoid(z);
    }

    static FlowDemo.Metrics evaluate(FlowDemo.Model m, Table test) {
        double[] y = test.toDoubleArray(TARGET);
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int errors = 0;
        for (int i = 0; i < test.rowCount(); i++) {
            int predicted = predict(m, test, i) > 0.5 ? 1 : 0;
            int actual = (int) y[i];
            errors += predicted == actual ? 0 : 1;
            tp += predicted == 1 && actual == 1 ? 1 : 0;
            fp += predicted == 1 && actual == 0 ? 1 : 0;
            fn += predicted == 0 && actual == 1 ? 1 : 0;
        }
        int rows = test.rowCount();
        if (rows == 0) {
            throw new NonRetriableException("cannot evaluate on an empty test set. Fix: check the split file");
        }
        double f1 = 2.0 * tp / (2.0 * tp + fp + fn);
        return new FlowDemo.Metrics((double) (rows - errors) / rows, f1, rows, errors);
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Solves {@code a x = b} by Gaussian elimination with partial pivoting (a is small and well-conditioned). */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = java.util.Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= m[r][c] * x[c];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }
}
