package dev.mlops.features;

import java.util.List;

/**
 * What applying definitions would change (or changed), like {@code terraform plan}.
 *
 * @param fromVersion the registry version the plan starts from (0: nothing applied yet)
 * @param toVersion   the version apply writes; equal to {@code fromVersion} when nothing changes
 * @param changes     the differences, entities first, then views, services, on-demand features
 */
public record Plan(int fromVersion, int toVersion, List<Change> changes) {

    public Plan {
        changes = List.copyOf(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** One line per change, or {@code "no changes"}. */
    @Override
    public String toString() {
        if (changes.isEmpty()) {
            return "no changes (version " + fromVersion + ")";
        }
        StringBuilder sb = new StringBuilder("version " + fromVersion + " -> " + toVersion + ":");
        for (Change c : changes) {
            sb.append("\n  ").append(c);
        }
        return sb.toString();
    }
}
