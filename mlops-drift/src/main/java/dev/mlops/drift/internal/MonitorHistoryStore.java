package dev.mlops.drift.internal;

import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import dev.mlops.core.io.AtomicFiles;
import dev.mlops.drift.ColumnDrift;
import dev.mlops.drift.ColumnHistogram;
import dev.mlops.drift.ColumnKind;
import dev.mlops.drift.Correction;
import dev.mlops.drift.DomainClassifierResult;
import dev.mlops.drift.DriftReport;
import dev.mlops.drift.MonitorResult;
import dev.mlops.drift.PcaDriftResult;
import dev.mlops.drift.PerformanceDriftResult;
import dev.mlops.drift.PerformanceMetric;
import dev.mlops.drift.StatResult;
import dev.mlops.drift.StatTest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable history of a {@link dev.mlops.drift.DriftMonitor}: one JSON line per checked window (the whole
 * result and the episode state after it), appended and forced to disk before the check returns. A crash during
 * an append leaves at most a torn last line, which the next open drops (and rewrites the file without it). When
 * the file holds more than {@code 2 x keep} lines it is rewritten atomically with the last {@code keep}: the file
 * stays bounded. Not thread-safe: the monitor calls it under its check lock.
 */
public final class MonitorHistoryStore {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorHistoryStore.class);
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Episode state after a window: what the trigger rule needs to resume after a restart. */
    public record State(boolean inEpisode, boolean episodeFired, Instant lastFiring) {
    }

    /** What {@link #open} found. */
    public record Loaded(List<MonitorResult> results, State state) {
    }

    private final Path file;
    private final String model;
    private final int keep;
    private final List<String> lines = new ArrayList<>(); // the last lines on disk, at most 2 x keep

    private MonitorHistoryStore(Path file, String model, int keep) {
        this.file = file;
        this.model = model;
        this.keep = keep;
    }

    /** Opens (or starts) the history in {@code file}; returns the store and the last {@code keep} results. */
    public static Map.Entry<MonitorHistoryStore, Loaded> open(Path file, String model, int keep) {
        MonitorHistoryStore store = new MonitorHistoryStore(file, model, keep);
        return Map.entry(store, store.load());
    }

    private Loaded load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Loaded(List.of(), new State(false, false, null));
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "cannot read the drift monitor history: " + e.getMessage(), e);
        }
        String[] raw = text.split("\n", -1);
        List<MonitorResult> results = new ArrayList<>();
        State state = new State(false, false, null);
        boolean torn = false;
        int complete = raw.length - 1; // text after the last newline is an unfinished append
        if (!raw[complete].isEmpty()) {
            torn = true;
        }
        for (int i = 0; i < complete; i++) {
            JsonNode node;
            try {
                node = JSON.readTree(raw[i]);
                if (node == null || !node.isObject()) {
                    throw new IOException("not a JSON object");
                }
            } catch (IOException e) {
                throw new StoreCorruptedException(file, "line " + (i + 1) + " of the drift monitor history is not a JSON"
                        + " record (" + e.getMessage() + ")", "move the file aside to start a new history", e);
            }
            String owner = node.path("model").asText();
            if (!owner.equals(model)) {
                throw new IllegalArgumentException("historyFile " + file + " holds the history of model '" + owner
                        + "', not of '" + model + "'; give each monitored model its own file");
            }
            results.add(result(node, i + 1));
            JsonNode s = node.path("state");
            state = new State(s.path("in_episode").asBoolean(), s.path("episode_fired").asBoolean(),
                    s.path("last_firing").isNull() || s.path("last_firing").isMissingNode() ? null
                            : Instant.parse(s.path("last_firing").asText()));
            lines.add(raw[i]);
        }
        if (torn) {
            LOG.warn("drift monitor history {}: dropped an unfinished last record ({} bytes; the process stopped while"
                    + " appending it)", file, raw[complete].length());
        }
        if (torn || lines.size() > keep) {
            rewriteLast(keep);
        }
        int from = Math.max(0, results.size() - keep);
        return new Loaded(List.copyOf(results.subList(from, results.size())), state);
    }

    /** Appends one window and forces it to disk; compacts the file when it has grown past 2 x keep lines. */
    public void append(MonitorResult r, State state) {
        String line = line(r, state);
        try {
            Path dir = file.toAbsolutePath().getParent();
            boolean created = !Files.exists(file);
            if (created) {
                Files.createDirectories(dir);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            }
            if (created) {
                AtomicFiles.syncDirectory(dir);
            }
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "cannot append to the drift monitor history: "
                    + e.getMessage(), e);
        }
        lines.add(line);
        if (lines.size() > 2 * keep) {
            rewriteLast(keep);
        }
    }

    private void rewriteLast(int n) {
        List<String> last = new ArrayList<>(lines.subList(Math.max(0, lines.size() - n), lines.size()));
        StringBuilder sb = new StringBuilder();
        for (String l : last) {
            sb.append(l).append('\n');
        }
        try {
            AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "cannot rewrite the drift monitor history: "
                    + e.getMessage(), e);
        }
        lines.clear();
        lines.addAll(last);
    }

    // ------------------------------------------------------------------ encoding

    private String line(MonitorResult r, State state) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("model", r.model());
        o.put("from", r.from().toString());
        o.put("to", r.to().toString());
        o.put("rows", r.rows());
        o.put("triggered", r.triggered());
        if (r.runId().isPresent()) {
            o.put("run_id", r.runId().get());
        } else {
            o.putNull("run_id");
        }
        r.report().ifPresent(rep -> report(o.putObject("report"), rep));
        r.pca().ifPresent(p -> {
            ObjectNode x = o.putObject("pca");
            ArrayNode cols = x.putArray("columns");
            p.columns().forEach(cols::add);
            x.put("components", p.components());
            ArrayNode ratio = x.putArray("explained_variance_ratio");
            for (double v : p.explainedVarianceRatio()) {
                number(ratio, v);
            }
            number(x, "reference_error", p.referenceError());
            number(x, "current_error", p.currentError());
            number(x, "lower", p.lower());
            number(x, "upper", p.upper());
            x.put("drift", p.drift());
            x.put("current_imputed", p.currentImputed());
        });
        r.domainClassifier().ifPresent(d -> {
            ObjectNode x = o.putObject("domain_classifier");
            number(x, "auc", d.auc());
            number(x, "p_value", d.pValue());
            number(x, "threshold", d.threshold());
            x.put("drift", d.drift());
            x.put("features", d.features());
            x.put("permutations", d.permutations());
        });
        r.performance().ifPresent(p -> {
            ObjectNode x = o.putObject("performance");
            x.put("metric", p.metric().name());
            number(x, "reference", p.reference());
            number(x, "current", p.current());
            number(x, "difference", p.difference());
            number(x, "lower", p.lower());
            number(x, "upper", p.upper());
            x.put("drift", p.drift());
        });
        ObjectNode s = o.putObject("state");
        s.put("in_episode", state.inEpisode());
        s.put("episode_fired", state.episodeFired());
        if (state.lastFiring() == null) {
            s.putNull("last_firing");
        } else {
            s.put("last_firing", state.lastFiring().toString());
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of numbers and strings failed to serialise", e);
        }
    }

    private static void report(ObjectNode o, DriftReport r) {
        o.put("dataset_drift", r.datasetDrift());
        number(o, "share_drifted", r.shareDrifted());
        number(o, "drift_share", r.driftShare());
        o.put("correction", r.correction().id());
        o.put("reference_rows", r.referenceRows());
        o.put("current_rows", r.currentRows());
        ArrayNode cols = o.putArray("columns");
        for (ColumnDrift c : r.columns().values()) {
            ObjectNode x = cols.addObject();
            x.put("column", c.column());
            x.put("type", c.kind().id());
            x.put("test", c.test().id());
            number(x, "statistic", c.statistic());
            number(x, "p_value", c.pValue());
            number(x, "adjusted_p_value", c.adjustedPValue());
            number(x, "threshold", c.threshold());
            x.put("drift", c.drift());
            x.put("reference_missing", c.referenceMissing());
            x.put("current_missing", c.currentMissing());
            ArrayNode tests = x.putArray("tests");
            for (StatResult t : c.tests().values()) {
                ObjectNode y = tests.addObject();
                y.put("test", t.test().id());
                number(y, "statistic", t.statistic());
                number(y, "p_value", t.pValue());
            }
            ObjectNode h = x.putObject("histogram");
            ArrayNode labels = h.putArray("labels");
            c.histogram().labels().forEach(labels::add);
            ArrayNode ref = h.putArray("reference");
            c.histogram().reference().forEach(v -> number(ref, v));
            ArrayNode cur = h.putArray("current");
            c.histogram().current().forEach(v -> number(cur, v));
        }
    }

    /** Finite doubles as JSON numbers (exact round trip), others as the strings "NaN", "Infinity", "-Infinity". */
    private static void number(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.put(name, Double.toString(v));
        }
    }

    private static void number(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.add(Double.toString(v));
        }
    }

    private static double number(JsonNode n) {
        return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
    }

    private MonitorResult result(JsonNode o, int line) {
        try {
            Optional<DriftReport> report = o.hasNonNull("report") ? Optional.of(report(o.get("report"))) : Optional.empty();
            Optional<PcaDriftResult> pca = Optional.empty();
            if (o.hasNonNull("pca")) {
                JsonNode x = o.get("pca");
                List<String> cols = new ArrayList<>();
                x.get("columns").forEach(c -> cols.add(c.asText()));
                JsonNode ratioNode = x.get("explained_variance_ratio");
                double[] ratio = new double[ratioNode.size()];
                for (int i = 0; i < ratio.length; i++) {
                    ratio[i] = number(ratioNode.get(i));
                }
                pca = Optional.of(new PcaDriftResult(cols, x.get("components").asInt(), ratio, number(x.get("reference_error")),
                        number(x.get("current_error")), number(x.get("lower")), number(x.get("upper")),
                        x.get("drift").asBoolean(), x.get("current_imputed").asInt()));
            }
            Optional<DomainClassifierResult> dc = Optional.empty();
            if (o.hasNonNull("domain_classifier")) {
                JsonNode x = o.get("domain_classifier");
                dc = Optional.of(new DomainClassifierResult(number(x.get("auc")), number(x.get("p_value")),
                        number(x.get("threshold")), x.get("drift").asBoolean(), x.get("features").asInt(),
                        x.get("permutations").asInt()));
            }
            Optional<PerformanceDriftResult> perf = Optional.empty();
            if (o.hasNonNull("performance")) {
                JsonNode x = o.get("performance");
                perf = Optional.of(new PerformanceDriftResult(PerformanceMetric.valueOf(x.get("metric").asText()),
                        number(x.get("reference")), number(x.get("current")), number(x.get("difference")),
                        number(x.get("lower")), number(x.get("upper")), x.get("drift").asBoolean()));
            }
            return new MonitorResult(o.get("model").asText(), Instant.parse(o.get("from").asText()),
                    Instant.parse(o.get("to").asText()), o.get("rows").asInt(), report, pca, dc, perf,
                    o.get("triggered").asBoolean(), o.hasNonNull("run_id") ? Optional.of(o.get("run_id").asText())
                            : Optional.empty());
        } catch (RuntimeException e) {
            throw new StoreCorruptedException(file, "line " + line + " of the drift monitor history is not a complete"
                    + " window record (" + e + ")", "move the file aside to start a new history", e);
        }
    }

    private static DriftReport report(JsonNode o) {
        Map<String, ColumnDrift> cols = new LinkedHashMap<>();
        for (JsonNode x : o.get("columns")) {
            Map<StatTest, StatResult> tests = new LinkedHashMap<>();
            for (JsonNode y : x.get("tests")) {
                StatTest t = StatTest.of(y.get("test").asText());
                tests.put(t, new StatResult(t, number(y.get("statistic")), number(y.get("p_value"))));
            }
            JsonNode h = x.get("histogram");
            List<String> labels = new ArrayList<>();
            h.get("labels").forEach(l -> labels.add(l.asText()));
            List<Double> ref = new ArrayList<>();
            h.get("reference").forEach(v -> ref.add(number(v)));
            List<Double> cur = new ArrayList<>();
            h.get("current").forEach(v -> cur.add(number(v)));
            String column = x.get("column").asText();
            cols.put(column, new ColumnDrift(column, kind(x.get("type").asText()), StatTest.of(x.get("test").asText()),
                    number(x.get("statistic")), number(x.get("p_value")), number(x.get("adjusted_p_value")),
                    number(x.get("threshold")), x.get("drift").asBoolean(), x.get("reference_missing").asInt(),
                    x.get("current_missing").asInt(), tests, new ColumnHistogram(labels, ref, cur)));
        }
        return new DriftReport(o.get("dataset_drift").asBoolean(), number(o.get("share_drifted")),
                number(o.get("drift_share")), Correction.of(o.get("correction").asText()), o.get("reference_rows").asLong(),
                o.get("current_rows").asInt(), cols);
    }

    private static ColumnKind kind(String id) {
        for (ColumnKind k : ColumnKind.values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown column type '" + id + "'");
    }
}
