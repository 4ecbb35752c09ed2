package dev.mlops.features;

/**
 * A reference to one feature, written {@code "view:feature"}; its output column is
 * {@code view__feature}.
 *
 * @param view    the feature view (or on-demand feature) name
 * @param feature the feature name
 */
public record FeatureRef(String view, String feature) {

    public FeatureRef {
        Names.check("view name", view);
        Names.check("feature name", feature);
    }

    /** Parses {@code "view:feature"}. */
    public static FeatureRef parse(String ref) {
        int c = ref.indexOf(':');
        if (c <= 0 || c != ref.lastIndexOf(':') || c == ref.length() - 1) {
            throw new IllegalArgumentException("feature reference must be 'view:feature', got '" + ref + "'");
        }
        return new FeatureRef(ref.substring(0, c), ref.substring(c + 1));
    }

    /** The output column name, {@code view__feature}. */
    public String column() {
        return view + "__" + feature;
    }

    @Override
    public String toString() {
        return view + ":" + feature;
    }
}
