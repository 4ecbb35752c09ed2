package dev.mlops.examples;

import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.features.BatchSource;
import dev.mlops.features.Definitions;
import dev.mlops.features.Entity;
import dev.mlops.features.FeatureService;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import dev.mlops.features.MaterializationReport;
import dev.mlops.features.OnDemandFeature;
import dev.mlops.features.OnlineResponse;
import dev.mlops.features.Plan;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The feature-store scenario on the UCI Bike Sharing data: hourly weather and daily rental totals as
 * feature views of the city's bike system, applied to a store, joined point-in-time onto every hour of
 * 2011-2012 for training, materialized and read online. Quoted by {@code docs/features.md}; run with
 * {@code ./mlops features demo [DATA_DIR] [WORK_DIR]}.
 */
public final class FeatureStoreExample {

    /** What the run produced, for the caller (and the test) to check. */
    public record Result(Plan plan, Table training, MaterializationReport materialized, OnlineResponse online) {}

    private FeatureStoreExample() {
    }

    public static Result run(Path data, Path work, PrintStream out) throws Exception {
        Files.createDirectories(work);
        // 1. Batch sources: the raw files have local dates; write them as feature files with UTC event times.
        Path weatherCsv = work.resolve("weather.csv");
        Path dailyCsv = work.resolve("daily.csv");
        writeSources(data, weatherCsv, dailyCsv);

        // 2. Definitions as code.
        Entity system = Entity.of("system", "system", ColumnType.STRING);
        FeatureView weather = FeatureView.builder("weather").entity(system)
                .feature("temp", ColumnType.DOUBLE).feature("atemp", ColumnType.DOUBLE)
                .feature("hum", ColumnType.DOUBLE).feature("windspeed", ColumnType.DOUBLE)
                .feature("weathersit", ColumnType.LONG)
                .ttl(Duration.ofHours(3))                       // an observation older than 3 h is no observation
                .source(BatchSource.csv(weatherCsv)).owner("mobility-data@example.com").tag("granularity", "hour")
                .build();
        FeatureView daily = FeatureView.builder("daily").entity(system)
                .feature("cnt", ColumnType.LONG).feature("registered", ColumnType.LONG)
                .ttl(Duration.ofDays(2))                        // yesterday's totals, known at midnight
                .source(BatchSource.csv(dailyCsv)).tag("granularity", "day")
                .build();
        OnDemandFeature feelsHot = OnDemandFeature.builder("derived", "feels_hot", ColumnType.BOOLEAN)
                .input("weather:atemp").requestField("hot_threshold")
                .function(in -> in.get("weather:atemp") == null ? null
                        : (Double) in.get("weather:atemp") > ((Number) in.get("hot_threshold")).doubleValue())
                .build();
        FeatureService rides = FeatureService.of("rides_model", 1,
                "weather:temp", "weather:hum", "weather:weathersit", "daily:cnt", "derived:feels_hot");
        Definitions defs = Definitions.builder().entity(system).view(weather).view(daily)
                .onDemand(feelsHot).service(rides).build();

        // 3. Plan and apply; the last hour of the data is "now" for the online part.
        Instant now = Instant.parse("2012-12-31T23:00:00Z");
        try (FeatureStore store = FeatureStore.builder().home(work.resolve("store"))
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
            Plan plan = store.plan(defs);
            out.println(plan);
            store.apply(defs);
            store.pin("rides_model", 1, "bike demand model v1");

            // 4. Training set: one entity row per hour of 2011-2012 (missing hours included),
            //    each joined as of its own time.
            Table entityRows = hours(Instant.parse("2011-01-01T00:00:00Z"), now);
            Table training = store.historical(entityRows, "rides_model", 1, false);
            out.println(training.head(5));

            // 5. Materialize and read online at "now", with the same definitions.
            MaterializationReport m = store.materializeIncremental(now);
            out.println("materialized " + m.rowsWritten());
            OnlineResponse online = store.readOnline(rides.features(), "dc",
                    java.util.Map.of("hot_threshold", 0.6));
            online.values().forEach(v -> out.println("  " + v));
            return new Result(plan, training, m, online);
        }
    }

    /** Entity rows: system "dc", every hour in [from, to], plus the threshold the on-demand feature reads. */
    static Table hours(Instant from, Instant to) {
        Schema s = Schema.builder().add("system", ColumnType.STRING).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("hot_threshold", ColumnType.DOUBLE).build();
        TableBuilder b = Table.builder(s);
        for (Instant t = from; !t.isAfter(to); t = t.plusSeconds(3600)) {
            b.addRow("dc", t, 0.6);
        }
        return b.build();
    }

    private static void writeSources(Path data, Path weatherCsv, Path dailyCsv) {
        Table hour = CsvReader.builder().schema(Schema.builder().add("dteday", ColumnType.STRING).add("hr", ColumnType.LONG)
                .add("temp", ColumnType.DOUBLE).add("atemp", ColumnType.DOUBLE).add("hum", ColumnType.DOUBLE)
                .add("windspeed", ColumnType.DOUBLE).add("weathersit", ColumnType.LONG).build())
                .ignoreExtraColumns(true).build().read(data.resolve("bike_sharing_hour.csv"));
        Schema ws = Schema.builder().add("system", ColumnType.STRING).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP).add("temp", ColumnType.DOUBLE).add("atemp", ColumnType.DOUBLE)
                .add("hum", ColumnType.DOUBLE).add("windspeed", ColumnType.DOUBLE).add("weathersit", ColumnType.LONG).build();
        TableBuilder w = Table.builder(ws);
        for (int r = 0; r < hour.rowCount(); r++) {
            Instant t = LocalDate.parse(hour.stringColumn("dteday").get(r)).atStartOfDay(ZoneOffset.UTC).toInstant()
                    .plusSeconds(3600 * hour.longColumn("hr").get(r));
            w.addRow("dc", t, t, hour.value(r, "temp"), hour.value(r, "atemp"), hour.value(r, "hum"),
                    hour.value(r, "windspeed"), hour.value(r, "weathersit"));
        }
        CsvWriter.builder().build().write(w.build(), weatherCsv);

        Table day = CsvReader.builder().schema(Schema.builder().add("dteday", ColumnType.STRING).add("cnt", ColumnType.LONG)
                .add("registered", ColumnType.LONG).build()).ignoreExtraColumns(true).build().read(data.resolve("bike_sharing_day.csv"));
        Schema ds = Schema.builder().add("system", ColumnType.STRING).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP).add("cnt", ColumnType.LONG).add("registered", ColumnType.LONG).build();
        TableBuilder d = Table.builder(ds);
        for (int r = 0; r < day.rowCount(); r++) {
            // a day's totals are known at the end of the day (midnight UTC of the next day)
            Instant known = LocalDate.parse(day.stringColumn("dteday").get(r)).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            d.addRow("dc", known, known, day.value(r, "cnt"), day.value(r, "registered"));
        }
        CsvWriter.builder().build().write(d.build(), dailyCsv);
    }
}
