package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops features historical} in-process on small CSV files; the expected output comes from a
 * brute-force point-in-time join written below over the raw CSV text (no SDK type involved).
 */
class FeaturesCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** One feature row as text: key, event, created, value ("" for null). */
    private record FRow(String key, Instant event, Instant created, String x) {}

    @Test
    void historical_randomCsv_matchesBruteForce_withTtlAndAsKnownAt() throws Exception {
        Random rnd = new Random(3);
        Instant base = Instant.parse("2024-05-01T00:00:00Z");
        List<FRow> fr = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        StringBuilder f = new StringBuilder("station,event_timestamp,created_timestamp,temp\n");
        while (fr.size() < 120) {
            String k = "s" + rnd.nextInt(5);
            Instant ev = base.plusSeconds(60L * rnd.nextInt(30));
            Instant cr = ev.plusSeconds(rnd.nextInt(3) == 0 ? 600 : 60L * rnd.nextInt(2));
            if (!seen.add(k + ev + cr)) {
                continue;
            }
            String x = rnd.nextInt(6) == 0 ? "" : String.valueOf(fr.size() + 0.25);
            fr.add(new FRow(k, ev, cr, x));
            // write offsets other than Z too: the reader converts them to UTC
            f.append(k).append(',').append(OffsetDateTime.ofInstant(ev, java.time.ZoneOffset.ofHours(2)))
                    .append(',').append(cr).append(',').append(x).append('\n');
        }
        Files.writeString(dir.resolve("weather.csv"), f);
        StringBuilder e = new StringBuilder("station,event_timestamp,trip\n");
        List<String> ek = new ArrayList<>();
        List<Instant> et = new ArrayList<>();
        for (int r = 0; r < 80; r++) {
            String k = "s" + rnd.nextInt(6);
            Instant t = fr.get(rnd.nextInt(fr.size())).event().plusSeconds(new long[] {0, 1, -1, 300, 301, 299}[rnd.nextInt(6)]);
            ek.add(k);
            et.add(t);
            e.append(k).append(',').append(t).append(',').append("trip").append(r).append('\n');
        }
        Files.writeString(dir.resolve("entities.csv"), e);

        for (long ttl : new long[] {0, 300}) {
            for (boolean known : new boolean[] {false, true}) {
                Path outCsv = dir.resolve("out-" + ttl + "-" + known + ".csv");
                List<String> args = new ArrayList<>(List.of("features", "historical", "--entities", dir.resolve("entities.csv").toString(),
                        "--entity-key", "station", "--view", "weather=" + dir.resolve("weather.csv") + (ttl == 0 ? "" : ":ttl=" + ttl),
                        "--out", outCsv.toString()));
                if (known) {
                    args.add("--as-known-at");
                }
                assertThat(run(args.toArray(String[]::new))).as(err.toString(StandardCharsets.UTF_8)).isZero();
                List<String> lines = Files.readAllLines(outCsv);
                assertThat(lines.get(0)).isEqualTo("station,event_timestamp,trip,weather__temp");
                assertThat(lines).hasSize(81);
                for (int r = 0; r < 80; r++) {
                    String[] cells = lines.get(r + 1).split(",", -1);
                    assertThat(cells[0]).isEqualTo(ek.get(r));
                    assertThat(Instant.parse(cells[1])).isEqualTo(et.get(r));
                    assertThat(cells[2]).isEqualTo("trip" + r);
                    String expected = bruteForce(fr, ek.get(r), et.get(r), ttl, known);
                    assertThat(cells[3]).as("row %d ttl %d known %s", r, ttl, known).isEqualTo(expected);
                }
            }
        }
    }

    private static String bruteForce(List<FRow> rows, String key, Instant t, long ttlSeconds, boolean known) {
        FRow best = null;
        for (FRow f : rows) {
            boolean ok = f.key().equals(key) && !f.event().isAfter(t)
                    && (ttlSeconds == 0 || !f.event().isBefore(t.minusSeconds(ttlSeconds)))
                    && (!known || !f.created().isAfter(t));
            if (ok && (best == null || f.event().isAfter(best.event())
                    || (f.event().equals(best.event()) && f.created().isAfter(best.created())))) {
                best = f;
            }
        }
        return best == null ? "" : best.x();
    }

    @Test
    void historical_zonelessTimestamps_missingFile_andBadArguments_giveClearErrors() throws Exception {
        Files.writeString(dir.resolve("e.csv"), "k,event_timestamp\n1,2024-01-01 00:00:00\n");
        Files.writeString(dir.resolve("f.csv"), "k,event_timestamp,created_timestamp,x\n1,2024-01-01T00:00:00Z,2024-01-01T00:00:00Z,1.5\n");
        int status = run("features", "historical", "--entities", dir.resolve("e.csv").toString(), "--entity-key", "k",
                "--view", "v=" + dir.resolve("f.csv"), "--out", dir.resolve("o.csv").toString());
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("e.csv").contains("event_timestamp").containsIgnoringCase("zone");
        assertThat(Files.exists(dir.resolve("o.csv"))).isFalse();

        err.reset();
        status = run("features", "historical", "--entities", dir.resolve("e.csv").toString(), "--entity-key", "k",
                "--view", "v=" + dir.resolve("missing.csv"), "--out", dir.resolve("o.csv").toString());
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.csv").contains("not found");

        err.reset();
        assertThat(run("features", "historical", "--entities", "e.csv")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required options").contains("--entity-key").contains("mlops features historical --help");
        err.reset();
        assertThat(run("features", "historical", "--entities", "e.csv", "--entity-key", "k", "--view", "v", "--out", "o.csv"))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("NAME=FILE[:ttl=SECONDS]");
    }
}
