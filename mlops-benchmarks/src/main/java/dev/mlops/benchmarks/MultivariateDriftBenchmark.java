package dev.mlops.benchmarks;

import dev.mlops.core.table.Column;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.Table;
import dev.mlops.drift.DomainClassifierDriftDetector;
import dev.mlops.drift.DomainClassifierResult;
import dev.mlops.drift.PcaDriftDetector;
import dev.mlops.drift.PcaDriftResult;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The multivariate detectors beside numpy running the same algorithms on the same doubles, in the same run.
 * sklearn is not installed here, so the peers are numpy transcriptions of the documented algorithms:
 * <ul>
 *   <li>{@link PcaDriftDetector}: 100,000 reference x 20 columns (four latent factors), 10,000 current rows whose
 *       factor loadings changed; standardize with the reference mean/std, {@code np.linalg.eigh} of the covariance,
 *       keep the components past 65% variance, mean reconstruction error of both tables, 200 bootstrap means.
 *       The current error must agree to ~1e-9; the bands differ (different random generators).</li>
 *   <li>{@link DomainClassifierDriftDetector}: 5,000 + 5,000 rows x 8 columns (44 features: standardized values and
 *       their pairwise products), logistic regression by 400 full-batch gradient steps, 5 folds, 19 permutations:
 *       100 fits. numpy does the same fits with matrix products (BLAS).</li>
 * </ul>
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.MultivariateDriftBenchmark [reps]
 * </pre>
 */
public final class MultivariateDriftBenchmark {

    private static final String PYTHON = """
            import statistics, sys, time
            import numpy as np
            d, reps = sys.argv[1], int(sys.argv[2])
            def load(name, cols):
                return np.fromfile(d + '/' + name, dtype='<f8').reshape(cols, -1).T.copy()
            pr, pc = load('pca_ref.f64', 20), load('pca_cur.f64', 20)
            dr, dc = load('dc_ref.f64', 8), load('dc_cur.f64', 8)
            def pca():
                mean = pr.mean(axis=0); std = pr.std(axis=0)
                z = (pr - mean) / std
                vals, vecs = np.linalg.eigh(np.cov(z, rowvar=False))
                order = np.argsort(vals)[::-1]; vals = vals[order]; vecs = vecs[:, order]
                ratio = vals / vals.sum()
                k = int(np.searchsorted(np.cumsum(ratio), 0.65, side='right')) + 1
                v = vecs[:, :k]
                def errors(x):
                    zz = (x - mean) / std
                    return np.linalg.norm(zz - zz @ v @ v.T, axis=1)
                er = errors(pr); cur = errors(pc).mean()
                rng = np.random.default_rng(42)
                boot = np.array([er[rng.integers(0, len(er), len(pc))].mean() for _ in range(200)])
                return cur, np.quantile(boot, 0.005), np.quantile(boot, 0.995)
            def domain():
                x = np.vstack([dr, dc]); n = len(x)
                z = (x - x.mean(axis=0)) / x.std(axis=0)
                iu = np.triu_indices(z.shape[1])
                feats = np.hstack([z, (z[:, :, None] * z[:, None, :])[:, iu[0], iu[1]]])
                X = np.hstack([np.ones((n, 1)), feats])
                y = np.r_[np.zeros(len(dr)), np.ones(len(dc))]
                rng = np.random.default_rng(42)
                fold = np.empty(n, int); fold[rng.permutation(n)] = np.arange(n) % 5
                def oof(labels):
                    s = np.empty(n)
                    for f in range(5):
                        tr = fold != f; Xt = X[tr]; yt = labels[tr]; m = len(yt)
                        w = np.zeros(X.shape[1])
                        for _ in range(400):
                            p = 1 / (1 + np.exp(-(Xt @ w)))
                            g = Xt.T @ (p - yt) / m
                            g[1:] += 1e-3 * w[1:]
                            w -= 0.5 * g
                        s[~tr] = X[~tr] @ w
                    return s
                def auc(s, labels):
                    from scipy.stats import rankdata
                    r = rankdata(s); pos = labels.sum(); neg = len(labels) - pos
                    return (r[labels == 1].sum() - pos * (pos + 1) / 2) / (pos * neg)
                observed = auc(oof(y), y)
                perms = [auc(oof(yp), yp) for yp in (rng.permutation(y) for _ in range(19))]
                return observed, (1 + sum(p >= observed for p in perms)) / 20
            for name, fn in [('pca', pca), ('domain', domain)]:
                times = []; v = None
                for _ in range(reps):
                    t = time.perf_counter(); v = fn(); times.append(time.perf_counter() - t)
                print(name + '\\t' + repr(statistics.median(times)) + '\\t' + ' '.join(repr(float(a)) for a in v), flush=True)
            """;

    private MultivariateDriftBenchmark() {
    }

    /** rows x cols from {@code factors} latent normals with loadings {@code load[c][f]} plus unit noise. */
    private static double[][] factorData(int rows, int cols, double[][] load, SplittableRandom r) {
        int factors = load[0].length;
        double[][] x = new double[cols][rows];
        double[] f = new double[factors];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < factors; k++) {
                f[k] = gaussian(r);
            }
            for (int c = 0; c < cols; c++) {
                double v = 0.5 * gaussian(r);
                for (int k = 0; k < factors; k++) {
                    v += load[c][k] * f[k];
                }
                x[c][i] = v;
            }
        }
        return x;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static double[][] loadings(int cols, int factors, SplittableRandom r) {
        double[][] l = new double[cols][factors];
        for (double[] row : l) {
            for (int k = 0; k < factors; k++) {
                row[k] = gaussian(r);
            }
        }
        return l;
    }

    private static Table table(double[][] colsData) {
        Column[] c = new Column[colsData.length];
        for (int j = 0; j < c.length; j++) {
            c[j] = DoubleColumn.of("x" + j, colsData[j]);
        }
        return Table.of(c);
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.printf(Locale.ROOT, "%d repetitions; %s %s, %d cores, load average %.1f%n", reps,
                System.getProperty("java.vm.name"), Runtime.version(), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        SplittableRandom r = new SplittableRandom(20261127L);
        double[][] load = loadings(20, 4, r);
        double[][] changed = new double[20][];
        for (int c = 0; c < 20; c++) {
            changed[c] = load[c].clone();
        }
        for (int c = 0; c < 20; c += 2) {
            changed[c][0] = -changed[c][0]; // half the columns now move against factor 0
        }
        double[][] pcaRef = factorData(100_000, 20, load, r);
        double[][] pcaCur = factorData(10_000, 20, changed, r);
        double[][] dcLoad = loadings(8, 2, r);
        double[][] dcChanged = new double[8][];
        for (int c = 0; c < 8; c++) {
            dcChanged[c] = dcLoad[c].clone();
        }
        dcChanged[0][1] = -dcChanged[0][1];
        double[][] dcRef = factorData(5_000, 8, dcLoad, r);
        double[][] dcCur = factorData(5_000, 8, dcChanged, r);

        Table pr = table(pcaRef);
        Table pc = table(pcaCur);
        Table dr = table(dcRef);
        Table dc = table(dcCur);
        PcaDriftDetector pca = PcaDriftDetector.builder().varianceExplained(0.65).bootstrapSamples(200).alpha(0.01).seed(42).build();
        DomainClassifierDriftDetector dcd = DomainClassifierDriftDetector.builder().folds(5).permutations(19).alpha(0.1)
                .seed(42).build();
        PcaDriftResult[] pcaOut = new PcaDriftResult[1];
        DomainClassifierResult[] dcOut = new DomainClassifierResult[1];
        double pcaMs = time(reps, () -> pcaOut[0] = pca.compare(pr, pc));
        double dcMs = time(reps, () -> dcOut[0] = dcd.compare(dr, dc));

        List<String> py = python(new double[][][] {pcaRef, pcaCur, dcRef, dcCur}, reps);
        System.out.printf(Locale.ROOT, "%n%-18s %12s %12s %8s   %s%n", "detector", "ours ms", "numpy ms", "ratio", "values (ours | numpy)");
        for (String line : py) {
            String[] p = line.split("\t");
            if (p.length != 3) {
                System.out.println(line);
                continue;
            }
            double npMs = Double.parseDouble(p[1]) * 1e3;
            if (p[0].equals("pca")) {
                PcaDriftResult o = pcaOut[0];
                System.out.printf(Locale.ROOT, "%-18s %12.0f %12.0f %7.2fx   error %.12g, band [%.6g, %.6g], k=%d | error, band: %s%n",
                        "PCA 100k x 20", pcaMs, npMs, npMs / pcaMs, o.currentError(), o.lower(), o.upper(), o.components(), p[2]);
            } else {
                DomainClassifierResult o = dcOut[0];
                System.out.printf(Locale.ROOT, "%-18s %12.0f %12.0f %7.2fx   AUC %.4f p %.3f | AUC, p: %s%n",
                        "domain 10k x 44f", dcMs, npMs, npMs / dcMs, o.auc(), o.pValue(), p[2]);
            }
        }
        System.out.printf(Locale.ROOT, "(ratio = numpy time / ours; load average at the end %.1f)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double time(int reps, Supplier<Object> run) {
        run.get();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            run.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }

    private static List<String> python(double[][][] data, int reps) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("mv-bench-");
        String[] names = {"pca_ref.f64", "pca_cur.f64", "dc_ref.f64", "dc_cur.f64"};
        List<String> lines = new ArrayList<>();
        try {
            for (int i = 0; i < names.length; i++) {
                double[][] cols = data[i];
                ByteBuffer buf = ByteBuffer.allocate(cols.length * cols[0].length * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (double[] c : cols) {
                    for (double v : c) {
                        buf.putDouble(v);
                    }
                }
                Files.write(dir.resolve(names[i]), buf.array());
            }
            Process p;
            try {
                p = new ProcessBuilder("python3", "-c", PYTHON, dir.toString(), Integer.toString(reps))
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                lines.add("python3 not found (" + e.getMessage() + "): our figures only");
                return lines;
            }
            try (var reader = p.inputReader(StandardCharsets.UTF_8)) {
                reader.lines().forEach(lines::add);
            }
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                lines.add("python3 failed");
            }
            return lines;
        } finally {
            for (String n : names) {
                Files.deleteIfExists(dir.resolve(n));
            }
            Files.deleteIfExists(dir);
        }
    }
}
