package dev.mlops.core.spi;

import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One prediction as served: which model version answered, when, with which inputs and output, and how long
 * it took. Immutable.
 *
 * <p>Input values and the output are limited to types every log format and drift test can handle:
 * {@link Double}, {@link Long}, {@link Boolean}, {@link String}, {@link Instant} or {@code null}; the output
 * may also be a {@code double[]} of class scores. Anything else is rejected with the key and type at fault,
 * so convert {@code Integer} to {@code Long} and {@code Float} to {@code Double} before logging.
 *
 * @param model        the model name; not blank
 * @param version      the model version that answered, e.g. {@code "7"}; not blank
 * @param timestamp    when the prediction was made, from the serving host's clock
 * @param requestId    the caller's request id for joining with ground truth later, or {@code null}
 * @param inputs       feature name to value; copied into an unmodifiable map that keeps the given order
 * @param output       the prediction: an allowed value or a {@code double[]} of class scores (copied in and
 *                     out)
 * @param latencyNanos how long the prediction took, {@code >= 0}
 */
public record PredictionRecord(String model, String version, Instant timestamp, String requestId,
        Map<String, Object> inputs, Object output, long latencyNanos) {

    private static final int MAX_SHOWN = 100;

    public PredictionRecord {
        checkName("model", model);
        checkName("version", version);
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(inputs, "inputs");
        Map<String, Object> copy = LinkedHashMap.newLinkedHashMap(inputs.size());
        for (Map.Entry<String, Object> entry : inputs.entrySet()) {
            String key = Objects.requireNonNull(entry.getKey(), () -> "model '" + model + "': inputs has a null key");
            copy.put(key, checkValue(model, "input '" + key + "'", entry.getValue()));
        }
        inputs = Collections.unmodifiableMap(copy);
        output = output instanceof double[] scores ? scores.clone() : checkValue(model, "output", output);
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("model '" + model + "': latencyNanos must be >= 0, but was "
                    + latencyNanos + ". Fix: measure with System.nanoTime() differences");
        }
    }

    /** The output; a {@code double[]} is returned as a fresh copy. */
    @Override
    public Object output() {
        return output instanceof double[] scores ? scores.clone() : output;
    }

    /** Equal when every component is; {@code double[]} outputs compare by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PredictionRecord r
                && latencyNanos == r.latencyNanos
                && model.equals(r.model)
                && version.equals(r.version)
                && timestamp.equals(r.timestamp)
                && Objects.equals(requestId, r.requestId)
                && inputs.equals(r.inputs)
                && Objects.deepEquals(output, r.output);
    }

    @Override
    public int hashCode() {
        int outputHash = output instanceof double[] scores ? Arrays.hashCode(scores) : Objects.hashCode(output);
        return Objects.hash(model, version, timestamp, requestId, inputs, outputHash, latencyNanos);
    }

    @Override
    public String toString() {
        String shownOutput = output instanceof double[] scores ? Arrays.toString(scores) : String.valueOf(output);
        return "PredictionRecord[model=" + model + ", version=" + version + ", timestamp=" + timestamp
                + ", requestId=" + requestId + ", inputs=" + inputs + ", output=" + shownOutput
                + ", latencyNanos=" + latencyNanos + "]";
    }

    private static void checkName(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank. Fix: pass the " + what
                    + " that served the prediction");
        }
    }

    private static Object checkValue(String model, String what, Object value) {
        if (value == null || value instanceof Double || value instanceof Long || value instanceof Boolean
                || value instanceof String || value instanceof Instant) {
            return value;
        }
        String shown = String.valueOf(value);
        if (shown.length() > MAX_SHOWN) {
            shown = shown.substring(0, MAX_SHOWN) + "... (" + shown.length() + " chars)";
        }
        throw new IllegalArgumentException("model '" + model + "': " + what + " has unsupported type "
                + value.getClass().getName() + " (value: " + shown + "). Allowed: Double, Long, Boolean, "
                + "String, Instant or null" + (what.equals("output") ? ", or double[] scores" : "")
                + ". Fix: " + fixFor(value));
    }

    private static String fixFor(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return "convert it with ((Number) value).longValue()";
        }
        if (value instanceof Number) {
            return "convert it with ((Number) value).doubleValue()";
        }
        if (value instanceof TemporalAccessor) {
            return "convert it to an Instant";
        }
        if (value instanceof Double[] || value instanceof float[]) {
            return "pass class scores as a double[]";
        }
        return "convert it to a String";
    }
}
