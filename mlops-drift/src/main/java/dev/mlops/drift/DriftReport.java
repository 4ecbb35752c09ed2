package dev.mlops.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * The outcome of comparing a current table with a reference table.
 *
 * @param datasetDrift  {@code shareDrifted >= driftShare}
 * @param shareDrifted  drifted columns / checked columns
 * @param driftShare    the share of drifted columns at which the dataset drifts
 * @param correction    the multiple-testing correction applied
 * @param referenceRows rows of the reference table (or of the references a profile was made from)
 * @param currentRows   rows of the current table
 * @param columns       the column verdicts, in the order checked
 */
public record DriftReport(boolean datasetDrift, double shareDrifted, double driftShare, Correction correction,
                          long referenceRows, int currentRows, Map<String, ColumnDrift> columns) {

    public DriftReport {
        columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
    }

    /** Columns that drifted. */
    public long driftedColumns() {
        return columns.values().stream().filter(ColumnDrift::drift).count();
    }

    /**
     * The report as JSON, schema {@code dev.mlops.drift/v1}:
     * <pre>{@code
     * {"dataset_drift": true, "share_drifted": 0.6, "drift_share": 0.5, "correction": "none",
     *  "reference_rows": 8645, "current_rows": 8734,
     *  "columns": {"temp": {"type": "numeric", "test": "wasserstein", "statistic": 0.12, "p_value": null,
     *                       "threshold": 0.1, "drift": true, "reference_missing": 0, "current_missing": 0,
     *                       "tests": {"ks": {"statistic": 0.08, "p_value": 1.2e-24}, "psi": {"statistic": 0.05}}}}}
     * }</pre>
     * {@code p_value} is null for distances; {@code adjusted_p_value} appears when a correction is set;
     * {@code tests} appears when extra tests were requested and holds, per test name, {@code statistic} and
     * (for p-value tests) {@code p_value}. Non-finite numbers (an infinite odds ratio, an undefined t) are null.
     */
    public String toJson() {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("dataset_drift", datasetDrift);
        root.put("share_drifted", shareDrifted);
        root.put("drift_share", driftShare);
        root.put("correction", correction.id());
        root.put("reference_rows", referenceRows);
        root.put("current_rows", currentRows);
        ObjectNode cols = root.putObject("columns");
        for (ColumnDrift c : columns.values()) {
            ObjectNode o = cols.putObject(c.column());
            o.put("type", c.kind().id());
            o.put("test", c.test().id());
            number(o, "statistic", c.statistic());
            number(o, "p_value", c.test().hasPValue() ? c.pValue() : Double.NaN);
            if (correction != Correction.NONE) {
                number(o, "adjusted_p_value", c.test().hasPValue() ? c.adjustedPValue() : Double.NaN);
            }
            o.put("threshold", c.threshold());
            o.put("drift", c.drift());
            o.put("reference_missing", c.referenceMissing());
            o.put("current_missing", c.currentMissing());
            if (!c.tests().isEmpty()) {
                ObjectNode t = o.putObject("tests");
                for (StatResult r : c.tests().values()) {
                    ObjectNode x = t.putObject(r.test().id());
                    number(x, "statistic", r.statistic());
                    if (r.hasPValue()) {
                        number(x, "p_value", r.pValue());
                    }
                }
            }
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of numbers and strings failed to serialise", e);
        }
    }

    /**
     * The report as one self-contained HTML page (no scripts, fonts or external resources): a summary, a
     * table of columns with test, statistic, p-value, threshold and verdict, and per column an overlaid
     * histogram of reference and current shares as inline SVG.
     */
    public String toHtml() {
        return dev.mlops.drift.internal.HtmlReport.render(this);
    }

    private static void number(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.putNull(name);
        }
    }
}
