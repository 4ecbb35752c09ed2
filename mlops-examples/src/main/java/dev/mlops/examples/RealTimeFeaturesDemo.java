package dev.mlops.examples;

import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.features.Aggregation;
import dev.mlops.features.BatchSource;
import dev.mlops.features.Definitions;
import dev.mlops.features.Entity;
import dev.mlops.features.FeatureService;
import dev.mlops.features.FeatureStatus;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureValue;
import dev.mlops.features.FeatureView;
import dev.mlops.features.MaterializationReport;
import dev.mlops.features.OnlineResponse;
import dev.mlops.features.Plan;
import dev.mlops.features.PushResult;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Predictor;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.TribuoModels;
import dev.mlops.registry.VersionRequest;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.common.tree.RandomForestTrainer;

/**
 * Scenario 3 of {@code mlops demo}, the seed's Project 3: a real-time feature store on the UCI Bike Sharing hourly
 * data ({@code examples/data/bike_sharing/hour.csv}, CC BY 4.0, Fanaee-T and Gama 2013).
 *
 * <ol>
 *   <li><b>Definitions.</b> Entity {@code system} (one bike system, key {@code "dc"}); view {@code weather}
 *       (temp, atemp, hum, windspeed, weathersit, observed at the start of each hour, TTL 3 h); view
 *       {@code demand} (the rentals of an hour, known when the hour ends, TTL 2 h) with the windowed aggregates
 *       {@code rentals_1h} (sum over 1 h, i.e. the last hour), {@code rentals_3h} (sum over 3 h),
 *       {@code rentals_24h_mean} and {@code rentals_168h_mean} (means over a day and a week); feature service
 *       {@code bike_demand} v1. Planned and applied.</li>
 *   <li><b>Backfill.</b> Every hour before {@link #STREAM_FROM} (2011-01-01 to 2012-12-30) is written to the
 *       offline store as the views' batch sources.</li>
 *   <li><b>Training data.</b> A point-in-time join of the service onto one entity row per hour, the label being
 *       that hour's rentals; hour of day and working day come with the request.</li>
 *   <li><b>Training.</b> A Tribuo random forest regressor ({@value #TREES} CART trees of depth 10), tracked in the registry (run, model,
 *       provenance, RMSE/MAE/R² on the hours from {@link #TEST_FROM} on, beside the naive peer "as many as in the
 *       last hour"), registered as {@code bike-demand} and aliased {@code @champion}; the feature service is
 *       pinned by that version.</li>
 *   <li><b>Materialize</b> up to {@link #STREAM_FROM} into the Chronicle Map online store.</li>
 *   <li><b>Stream.</b> The 24 hours of 2012-12-31 arrive one by one: at each hour the new weather observation and
 *       the finished hour's rentals are pushed, and ten minutes later the champion predicts the hour's rentals from
 *       the online features, printing their statuses and the views' freshness.</li>
 * </ol>
 * The store and the server run on a simulated clock, so every number is the same on every run.
 */
public final class RealTimeFeaturesDemo {

    static final String MODEL = "bike-demand";
    static final String SERVICE = "bike_demand";
    /** The first hour of the stream: everything before it is history. */
    static final Instant STREAM_FROM = Instant.parse("2012-12-31T00:00:00Z");
    /** The first hour of the evaluation rows. */
    static final Instant TEST_FROM = Instant.parse("2012-11-01T00:00:00Z");
    /** When, after an hour starts, the online prediction for it is made. */
    static final Duration PREDICT_AFTER = Duration.ofMinutes(10);
    static final List<String> FEATURES = List.of("weather:temp", "weather:atemp", "weather:hum", "weather:windspeed",
            "weather:weathersit", "demand:rentals_1h", "demand:rentals_3h", "demand:rentals_24h_mean",
            "demand:rentals_168h_mean");
    /** Trees of the random forest (CART, depth 10, 70% of the features per split). */
    static final int TREES = 10;
    /** Request-time inputs: known for the hour being predicted, not stored. */
    static final List<String> REQUEST = List.of("hr", "workingday");

    private RealTimeFeaturesDemo() {
    }

    /** One hour of the source data. */
    record Hour(Instant start, long hr, long workingday, double temp, double atemp, double hum, double windspeed,
                long weathersit, long cnt) {
    }

    /** One online prediction of the stream: the hour, what the model said, what happened, what it read. */
    public record OnlinePrediction(Instant hour, double predicted, long actual, Map<String, FeatureStatus> statuses,
                                   Duration weatherFreshness, Duration demandFreshness) {
    }

    /** What the scenario did. */
    public record Result(Plan plan, int backfilledHours, int trainingRows, int testRows, double rmse,
                         double baselineRmse, String runId, int version, MaterializationReport materialized,
                         int pushedRows, List<OnlinePrediction> predictions) {
    }

    /**
     * Runs the scenario with the feature store in {@code home}, the views' batch sources (the offline store) in
     * {@code sources} and tracking in {@code registry}.
     */
    public static Result run(Path home, Path sources, Path hourCsv, ModelRegistry registry, PrintStream out)
            throws Exception {
        out.println("== 3. real-time feature store on Bike Sharing (hourly); home " + home.toAbsolutePath());
        Files.createDirectories(home);
        List<Hour> hours = read(hourCsv);
        List<Hour> history = hours.stream().filter(h -> h.start().isBefore(STREAM_FROM)).toList();
        List<Hour> stream = hours.stream().filter(h -> !h.start().isBefore(STREAM_FROM)).toList();

        // 1. Offline store: the history as the views' batch sources.
        Path weatherCsv = sources.resolve("weather.csv");
        Path demandCsv = sources.resolve("demand.csv");
        Files.createDirectories(weatherCsv.getParent());
        CsvWriter.builder().build().write(weatherRows(history), weatherCsv);
        CsvWriter.builder().build().write(demandRows(history), demandCsv);

        Entity system = Entity.of("system", "system", ColumnType.STRING);
        FeatureView weather = FeatureView.builder("weather").entity(system)
                .feature("temp", ColumnType.DOUBLE).feature("atemp", ColumnType.DOUBLE)
                .feature("hum", ColumnType.DOUBLE).feature("windspeed", ColumnType.DOUBLE)
                .feature("weathersit", ColumnType.LONG).ttl(Duration.ofHours(3))
                .source(BatchSource.csv(weatherCsv)).tag("granularity", "hour").build();
        FeatureView demand = FeatureView.builder("demand").entity(system)
                .feature("cnt", ColumnType.LONG).ttl(Duration.ofHours(2))
                .aggregation("rentals_1h", "cnt", Aggregation.Kind.SUM, Duration.ofHours(1))
                .aggregation("rentals_3h", "cnt", Aggregation.Kind.SUM, Duration.ofHours(3))
                .aggregation("rentals_24h_mean", "cnt", Aggregation.Kind.MEAN, Duration.ofHours(24))
                .aggregation("rentals_168h_mean", "cnt", Aggregation.Kind.MEAN, Duration.ofHours(168))
                .source(BatchSource.csv(demandCsv)).tag("granularity", "hour").build();
        FeatureService service = FeatureService.of(SERVICE, 1, FEATURES.toArray(String[]::new));
        Definitions defs = Definitions.builder().entity(system).view(weather).view(demand).service(service).build();

        ContinuousTrainingDemo.SimClock clock = new ContinuousTrainingDemo.SimClock(STREAM_FROM);
        try (FeatureStore store = FeatureStore.builder().home(home).clock(clock).build()) {
            Plan plan = store.apply(defs);
            out.printf("[apply] feature registry v%d: %d changes (entity system, views weather and demand with 4 "
                    + "windowed aggregates, service %s v1)%n", plan.toVersion(), plan.changes().size(), SERVICE);
            out.printf("[backfill] %d hours of history (%s to %s) into the offline store: %s, %s%n", history.size(),
                    history.get(0).start(), history.get(history.size() - 1).start(), weatherCsv.getFileName(),
                    demandCsv.getFileName());

            // 2. Point-in-time training data.
            Table entityRows = entityRows(history);
            Table joined = store.historical(entityRows, SERVICE, 1, false);
            List<String> inputs = inputs();
            Table complete = joined.filter(r -> inputs.stream().noneMatch(c -> joined.isNull(r, c)));
            long testFromMicros = TEST_FROM.getEpochSecond() * 1_000_000L;
            long[] times = complete.timestampColumn("event_timestamp").toEpochMicrosArray();
            Table train = complete.filter(r -> times[r] < testFromMicros);
            Table test = complete.filter(r -> times[r] >= testFromMicros);
            out.printf("[training-data] point-in-time join of %d features onto %d hourly entity rows; %d complete "
                    + "(%d train before %s, %d test)%n", FEATURES.size(), joined.rowCount(), complete.rowCount(),
                    train.rowCount(), TEST_FROM, test.rowCount());

            // 3. Tracked training, registration, pin.
            double baseline = rmse(test.toDoubleArray("cnt"), test.toDoubleArray("demand__rentals_1h"));
            String runId;
            double rmse;
            ModelVersion version;
            try (RegistryRun run = registry.startRun("bike-demand", "random-forest")) {
                runId = run.runId();
                run.logDataset("train", train.fingerprint());
                run.logDataset("eval", test.fingerprint());
                run.logParam("feature_service", SERVICE + ":1");
                run.logParam("features", String.join(",", inputs));
                RegressionFactory factory = new RegressionFactory();
                Model<Regressor> model = new RandomForestTrainer<>(
                        new CARTRegressionTrainer(10, 5f, 0f, 0.7f, new MeanSquaredError(), 42L),
                        new AveragingCombiner(), TREES, 42L).train(dataset(train, inputs, factory, "train"));
                TribuoModels.logModel(run, model, "model");
                TribuoModels.logRegressionEvaluation(run, model, dataset(test, inputs, factory, "test"), "test");
                run.logMetric("test.baseline_last_hour_rmse", baseline, 0);
                rmse = registry.run(runId).metric("test.rmse").orElseThrow();
            }
            version = registry.createVersion(VersionRequest.builder(MODEL, runId, "model").flavor(TribuoModels.FLAVOR)
                    .signature(new ModelSignature(Schema.of(inputs.stream().map(f -> Field.of(f, ColumnType.DOUBLE))
                            .toList()), ColumnType.DOUBLE))
                    .description("random forest on " + SERVICE + " v1").reason("trained on " + SERVICE + " v1").build());
            registry.setTag(MODEL, version.version(), "feature_service", SERVICE + ":1", "features it was trained on");
            registry.setAlias(MODEL, "champion", version.version(), "first bike demand model");
            store.pin(SERVICE, 1, MODEL + " v" + version.version());
            out.printf(Locale.ROOT, "[train] Tribuo random forest (%d trees) run %s: test RMSE %.1f rentals/hour vs "
                    + "%.1f for the peer 'same as last hour'%n", TREES, runId, rmse, baseline);
            out.printf("[register] %s version %d as @champion, tagged feature_service=%s:1; %s v1 pinned%n", MODEL,
                    version.version(), SERVICE, SERVICE);

            // 4. Materialize the history into the online store.
            MaterializationReport materialized = store.materializeIncremental(STREAM_FROM);
            out.printf("[materialize] online store up to %s: rows written %s%n", STREAM_FROM,
                    materialized.rowsWritten());

            // 5. The stream, and online predictions with fresh features.
            Predictor champion = registry.load("models:/" + MODEL + "@champion");
            List<OnlinePrediction> predictions = new ArrayList<>();
            int pushed = 0;
            Hour previous = history.get(history.size() - 1);
            out.printf("[stream] %d hours of %s, pushed one by one; each prediction %d min into its hour%n",
                    stream.size(), LocalDate.ofInstant(STREAM_FROM, ZoneOffset.UTC), PREDICT_AFTER.toMinutes());
            for (Hour h : stream) {
                clock.set(h.start());
                PushResult w = store.push("weather", weatherRows(List.of(h)), null);
                pushed += w.written();
                if (!previous.start().isBefore(STREAM_FROM)) {
                    PushResult d = store.push("demand", demandRows(List.of(previous)), null);
                    pushed += d.written();
                }
                previous = h;
                clock.set(h.start().plus(PREDICT_AFTER));
                OnlineResponse online = store.readOnline(FEATURES, "dc");
                Map<String, FeatureStatus> statuses = new LinkedHashMap<>();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("hr", (double) h.hr());
                row.put("workingday", (double) h.workingday());
                for (FeatureValue v : online.values()) {
                    statuses.put(v.feature(), v.status());
                    row.put(v.feature().replace(":", "__"), v.value() == null ? null
                            : ((Number) v.value()).doubleValue());
                }
                boolean allPresent = statuses.values().stream().allMatch(s -> s == FeatureStatus.PRESENT);
                double predicted = allPresent ? (Double) champion.predict(row).value() : Double.NaN;
                OnlinePrediction p = new OnlinePrediction(h.start(), predicted, h.cnt(), statuses,
                        store.freshness("weather"), store.freshness("demand"));
                predictions.add(p);
                if (h.hr() % 6 == 5 || !allPresent) {
                    out.printf(Locale.ROOT, "[predict] %s: %s rentals predicted, %d actual; features %s; "
                            + "freshness weather %d min, demand %d min%n", h.start().plus(PREDICT_AFTER),
                            allPresent ? String.format(Locale.ROOT, "%.0f", predicted) : "no prediction (missing features)",
                            h.cnt(), summary(statuses), p.weatherFreshness().toMinutes(),
                            p.demandFreshness().toMinutes());
                }
            }
            double streamRmse = rmse(predictions.stream().mapToDouble(p -> p.actual()).toArray(),
                    predictions.stream().mapToDouble(OnlinePrediction::predicted).toArray());
            out.printf(Locale.ROOT, "[stream] %d rows pushed, %d online predictions, RMSE %.1f on the stream%n",
                    pushed, predictions.size(), streamRmse);
            return new Result(plan, history.size(), train.rowCount(), test.rowCount(), rmse, baseline, runId,
                    version.version(), materialized, pushed, predictions);
        }
    }

    /** The model's inputs: the request fields, then the service's features as historical column names. */
    static List<String> inputs() {
        List<String> inputs = new ArrayList<>(REQUEST);
        FEATURES.forEach(f -> inputs.add(f.replace(":", "__")));
        return inputs;
    }

    private static String summary(Map<String, FeatureStatus> statuses) {
        Map<FeatureStatus, Integer> counts = new LinkedHashMap<>();
        statuses.values().forEach(s -> counts.merge(s, 1, Integer::sum));
        StringBuilder b = new StringBuilder();
        counts.forEach((s, n) -> b.append(b.isEmpty() ? "" : ", ").append(n).append(' ').append(s));
        return b.toString();
    }

    static double rmse(double[] actual, double[] predicted) {
        double ss = 0;
        for (int i = 0; i < actual.length; i++) {
            ss += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
        }
        return Math.sqrt(ss / actual.length);
    }

    static List<Hour> read(Path hourCsv) {
        Table t = CsvReader.builder().schema(Schema.builder().add("dteday", ColumnType.STRING)
                        .add("hr", ColumnType.LONG).add("workingday", ColumnType.LONG)
                        .add("weathersit", ColumnType.LONG).add("temp", ColumnType.DOUBLE)
                        .add("atemp", ColumnType.DOUBLE).add("hum", ColumnType.DOUBLE)
                        .add("windspeed", ColumnType.DOUBLE).add("cnt", ColumnType.LONG).build())
                .ignoreExtraColumns(true).build().read(hourCsv);
        List<Hour> hours = new ArrayList<>(t.rowCount());
        for (int r = 0; r < t.rowCount(); r++) {
            long hr = t.longColumn("hr").get(r);
            Instant start = LocalDate.parse(t.stringColumn("dteday").get(r)).atStartOfDay(ZoneOffset.UTC).toInstant()
                    .plusSeconds(3600 * hr);
            hours.add(new Hour(start, hr, t.longColumn("workingday").get(r), t.doubleColumn("temp").get(r),
                    t.doubleColumn("atemp").get(r), t.doubleColumn("hum").get(r), t.doubleColumn("windspeed").get(r),
                    t.longColumn("weathersit").get(r), t.longColumn("cnt").get(r)));
        }
        return hours;
    }

    /** Weather observations, each at the start of its hour. */
    static Table weatherRows(List<Hour> hours) {
        Schema s = Schema.builder().add("system", ColumnType.STRING).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP).add("temp", ColumnType.DOUBLE)
                .add("atemp", ColumnType.DOUBLE).add("hum", ColumnType.DOUBLE).add("windspeed", ColumnType.DOUBLE)
                .add("weathersit", ColumnType.LONG).build();
        TableBuilder b = Table.builder(s, hours.size());
        for (Hour h : hours) {
            b.addRow("dc", h.start(), h.start(), h.temp(), h.atemp(), h.hum(), h.windspeed(), h.weathersit());
        }
        return b.build();
    }

    /** An hour's rentals, known (event time) when the hour ends. */
    static Table demandRows(List<Hour> hours) {
        Schema s = Schema.builder().add("system", ColumnType.STRING).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP).add("cnt", ColumnType.LONG).build();
        TableBuilder b = Table.builder(s, hours.size());
        for (Hour h : hours) {
            Instant end = h.start().plusSeconds(3600);
            b.addRow("dc", end, end, h.cnt());
        }
        return b.build();
    }

    /** One entity row per hour, at its start, with the request fields and the label. */
    static Table entityRows(List<Hour> hours) {
        Schema s = Schema.builder().add("system", ColumnType.STRING).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("hr", ColumnType.DOUBLE).add("workingday", ColumnType.DOUBLE).add("cnt", ColumnType.DOUBLE)
                .build();
        TableBuilder b = Table.builder(s, hours.size());
        for (Hour h : hours) {
            b.addRow("dc", h.start(), (double) h.hr(), (double) h.workingday(), (double) h.cnt());
        }
        return b.build();
    }

    static MutableDataset<Regressor> dataset(Table t, List<String> inputs, RegressionFactory factory, String name) {
        MutableDataset<Regressor> d = new MutableDataset<>(new SimpleDataSourceProvenance("bike_sharing " + name,
                factory), factory);
        String[] names = inputs.toArray(String[]::new);
        double[][] cols = new double[names.length][];
        for (int j = 0; j < names.length; j++) {
            cols[j] = t.toDoubleArray(names[j]);
        }
        double[] label = t.toDoubleArray("cnt");
        for (int i = 0; i < t.rowCount(); i++) {
            double[] x = new double[names.length];
            for (int j = 0; j < names.length; j++) {
                x[j] = cols[j][i];
            }
            d.add(new ArrayExample<>(new Regressor("cnt", label[i]), names, x));
        }
        return d;
    }
}
