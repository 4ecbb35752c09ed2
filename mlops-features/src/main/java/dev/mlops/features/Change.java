package dev.mlops.features;

/**
 * One difference between applied and proposed definitions.
 *
 * @param kind   ADDED, CHANGED or REMOVED
 * @param type   {@code entity}, {@code view}, {@code service} or {@code on-demand}
 * @param name   the definition's name ({@code name:version} for a service)
 * @param detail for CHANGED, what changed ({@code ttl: PT1H -> PT2H; ...}); empty otherwise
 */
public record Change(Kind kind, String type, String name, String detail) {

    /** The kind of change. */
    public enum Kind { ADDED, CHANGED, REMOVED }

    @Override
    public String toString() {
        String sign = switch (kind) {
            case ADDED -> "+";
            case CHANGED -> "~";
            case REMOVED -> "-";
        };
        return sign + " " + type + " " + name + (detail.isEmpty() ? "" : ": " + detail);
    }
}
