package dev.mlops.drift;

import java.util.List;

/**
 * The shares of one column that the HTML report draws: the same bins for reference and current. Numeric
 * columns whose reference has more than 20 distinct values use the Sturges bins of the share distances;
 * other columns one bar per value, the 39 most frequent and an "(other)" bar when there are more than 40.
 *
 * @param labels    one label per bin, e.g. {@code "[0.2, 0.3)"} or {@code "red"}
 * @param reference the reference's share in each bin
 * @param current   the current data's share in each bin
 */
public record ColumnHistogram(List<String> labels, List<Double> reference, List<Double> current) {

    public ColumnHistogram {
        labels = List.copyOf(labels);
        reference = List.copyOf(reference);
        current = List.copyOf(current);
        if (labels.size() != reference.size() || labels.size() != current.size()) {
            throw new IllegalArgumentException("histogram needs one share per label and side: " + labels.size() + " labels, "
                    + reference.size() + " reference and " + current.size() + " current shares");
        }
    }
}
