package dev.mlops.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of {@link ModelRegistry#searchRuns(RunQuery)} results.
 *
 * @param runs          the matching runs of this page, in the query's order
 * @param nextPageToken the token that fetches the next page with the same query, or {@code null} on the
 *                      last page
 */
public record RunPage(List<RunInfo> runs, String nextPageToken) {
    public RunPage {
        runs = List.copyOf(Objects.requireNonNull(runs, "runs"));
    }

    /** The token for the next page, empty on the last page. */
    public Optional<String> next() {
        return Optional.ofNullable(nextPageToken);
    }
}
