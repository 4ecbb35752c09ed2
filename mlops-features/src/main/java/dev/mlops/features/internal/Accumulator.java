package dev.mlops.features.internal;

/**
 * Folds the events of one window into one aggregate; the only aggregation code, used by the offline
 * join and by online reads alike. Kinds are the names of {@code Aggregation.Kind}.
 */
public final class Accumulator {

    private final String kind;
    private long count;
    private double sum;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private Object last;
    private long lastEvent = Long.MIN_VALUE;
    private long lastCreated = Long.MIN_VALUE;
    private boolean any;

    public Accumulator(String kind) {
        this.kind = kind;
    }

    /** Adds one event; a null value is skipped. */
    public void add(long eventMicros, long createdMicros, Object value) {
        if (value == null) {
            return;
        }
        any = true;
        count++;
        if (value instanceof Number n) {
            double d = n.doubleValue();
            sum += d;
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        if (eventMicros > lastEvent || (eventMicros == lastEvent && createdMicros >= lastCreated)) {
            lastEvent = eventMicros;
            lastCreated = createdMicros;
            last = value;
        }
    }

    /** The aggregate (Long for COUNT, Double for SUM/MEAN/MIN/MAX, the value for LAST), null for an empty window. */
    public Object result() {
        return switch (kind) {
            case "COUNT" -> count;
            case "SUM" -> any ? sum : null;
            case "MEAN" -> any ? sum / count : null;
            case "MIN" -> any ? min : null;
            case "MAX" -> any ? max : null;
            case "LAST" -> last;
            default -> throw new IllegalArgumentException("unknown aggregation kind " + kind);
        };
    }
}
