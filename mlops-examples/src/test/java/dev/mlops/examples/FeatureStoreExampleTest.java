package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.table.Table;
import dev.mlops.features.FeatureStatus;
import dev.mlops.features.FeatureValue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs/features.md scenario on the real Bike Sharing files. Expected figures come from this Python
 * script over the raw CSVs (stdlib only), run on 2026-11-27:
 *
 * <pre>
 * import csv, datetime as dt
 * H = list(csv.DictReader(open('bike_sharing_hour.csv'))); D = list(csv.DictReader(open('bike_sharing_day.csv')))
 * obs = {dt.datetime.fromisoformat(r['dteday']) + dt.timedelta(hours=int(r['hr'])): r for r in H}
 * days = {dt.datetime.fromisoformat(r['dteday']) + dt.timedelta(days=1): r for r in D}
 * # for each hour t from 2011-01-01T00 to 2012-12-31T23: weather = obs at t, t-1h, t-2h or t-3h (first found);
 * # daily = days[k] for the latest midnight k <= t with k >= t - 2 days
 * # -> 17544 hours, 74 without weather, sum of temp 8661.12, 24 without daily, sum of daily cnt 78958800,
 * #    5279 hours with atemp > 0.6; at 2012-12-31T23: temp 0.26, hum 0.65, weathersit 1, daily cnt 1796
 * </pre>
 */
class FeatureStoreExampleTest {

    @TempDir
    Path dir;

    @Test
    void bikeSharingScenario_trainingSetAndOnlineRead_matchAnIndependentPythonComputation() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        FeatureStoreExample.Result r = FeatureStoreExample.run(Path.of("../../shared/data"), dir,
                new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(r.plan().changes()).hasSize(5);

        Table t = r.training();
        assertThat(t.rowCount()).isEqualTo(17544);
        assertThat(t.schema().names()).containsExactly("system", "event_timestamp", "hot_threshold",
                "weather__temp", "weather__hum", "weather__weathersit", "daily__cnt", "derived__feels_hot");
        assertThat(t.column("weather__temp").nullCount()).isEqualTo(74);
        assertThat(t.column("daily__cnt").nullCount()).isEqualTo(24);
        double temp = 0;
        long cnt = 0;
        int hot = 0;
        for (int i = 0; i < t.rowCount(); i++) {
            temp += t.isNull(i, "weather__temp") ? 0 : t.doubleColumn("weather__temp").get(i);
            cnt += t.isNull(i, "daily__cnt") ? 0 : t.longColumn("daily__cnt").get(i);
            hot += Boolean.TRUE.equals(t.value(i, "derived__feels_hot")) ? 1 : 0;
        }
        assertThat(temp).isCloseTo(8661.12, within(1e-6));
        assertThat(cnt).isEqualTo(78_958_800L);
        assertThat(hot).isEqualTo(5279);
        assertThat(t.column("derived__feels_hot").nullCount()).isEqualTo(74);

        Instant now = Instant.parse("2012-12-31T23:00:00Z");
        assertThat(r.online().get("weather:temp")).isEqualTo(new FeatureValue("weather:temp", 0.26, now, FeatureStatus.PRESENT));
        assertThat(r.online().get("weather:hum").value()).isEqualTo(0.65);
        assertThat(r.online().get("weather:weathersit").value()).isEqualTo(1L);
        assertThat(r.online().get("daily:cnt")).isEqualTo(
                new FeatureValue("daily:cnt", 1796L, Instant.parse("2012-12-31T00:00:00Z"), FeatureStatus.PRESENT));
        assertThat(r.online().get("derived:feels_hot").value()).isEqualTo(false);
        // the online row at "now" is the last training row, feature for feature
        int last = t.rowCount() - 1;
        assertThat(r.online().get("weather:temp").value()).isEqualTo(t.value(last, "weather__temp"));
        assertThat(r.online().get("daily:cnt").value()).isEqualTo(t.value(last, "daily__cnt"));
    }
}
