package dev.mlops.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ModelRegistry#searchRuns(RunQuery)} looks for: experiments, a filter, an ordering and a page.
 *
 * <p>The filter language (see {@code docs/registry.md} for the exact grammar): comparisons of
 * {@code metrics.<key>}, {@code params.<key>}, {@code tags.<key>}, {@code datasets.<name>} and
 * {@code attributes.<run_id|run_name|status|start_time|end_time|parent_run_id>} joined by {@code and},
 * {@code or} and parentheses; operators {@code = != <> < <= > >=}, {@code like}, {@code ilike},
 * {@code [not] in (...)}, {@code is [not] null}. Keys with spaces or other characters go in back-quotes:
 * {@code metrics.`val loss` < 0.3}. Example: {@code metrics.accuracy > 0.9 and (params.model = 'rf' or
 * tags.team like 'ml-%')}.
 *
 * <p>Order by: a list of {@code <entity>.<key> [asc|desc]}; runs lacking the key sort last in either direction;
 * ties are broken by start time (newest first), then by insertion order (newest first). The default is
 * {@code attributes.start_time desc}.
 */
public final class RunQuery {

    /** The largest page size. */
    public static final int MAX_RESULTS_LIMIT = 50_000;

    private final List<String> experiments;
    private final String filter;
    private final List<String> orderBy;
    private final int maxResults;
    private final String pageToken;
    private final RunView view;

    private RunQuery(Builder b) {
        this.view = b.view;
        this.experiments = List.copyOf(b.experiments);
        this.filter = b.filter;
        this.orderBy = List.copyOf(b.orderBy);
        this.maxResults = b.maxResults;
        this.pageToken = b.pageToken;
    }

    /** A new builder: all experiments, no filter, default order, 100 results per page. */
    public static Builder builder() {
        return new Builder();
    }

    /** A query for {@code filter} over all experiments with the default order and page size. */
    public static RunQuery of(String filter) {
        return builder().filter(filter).build();
    }

    /** Experiment names to search, empty for all. */
    public List<String> experiments() {
        return experiments;
    }

    /** The filter text, {@code ""} for none. */
    public String filter() {
        return filter;
    }

    /** The order-by clauses. */
    public List<String> orderBy() {
        return orderBy;
    }

    /** The page size. */
    public int maxResults() {
        return maxResults;
    }

    /** The page token from a previous page, or {@code null} for the first page. */
    public String pageToken() {
        return pageToken;
    }

    /** A builder starting from this query's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.experiments.addAll(experiments);
        b.filter = filter;
        b.orderBy.addAll(orderBy);
        b.maxResults = maxResults;
        b.pageToken = pageToken;
        b.view = view;
        return b;
    }

    /** Which runs by lifecycle; default {@link RunView#ACTIVE_ONLY}. */
    public RunView view() {
        return view;
    }

    /** Builds a {@link RunQuery}; not thread-safe. */
    public static final class Builder {
        private final List<String> experiments = new ArrayList<>();
        private String filter = "";
        private final List<String> orderBy = new ArrayList<>();
        private int maxResults = 100;
        private String pageToken;
        private RunView view = RunView.ACTIVE_ONLY;

        private Builder() {
        }

        /** Restricts the search to these experiments (by name); unknown names match nothing. */
        public Builder experiments(String... names) {
            for (String n : names) {
                experiments.add(Objects.requireNonNull(n, "experiment name"));
            }
            return this;
        }

        /** The filter; {@code ""} matches every run. */
        public Builder filter(String filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Adds an order-by clause such as {@code "metrics.accuracy desc"}. */
        public Builder orderBy(String clause) {
            orderBy.add(Objects.requireNonNull(clause, "clause"));
            return this;
        }

        /** The page size, 1 to {@value #MAX_RESULTS_LIMIT}. */
        public Builder maxResults(int maxResults) {
            if (maxResults < 1 || maxResults > MAX_RESULTS_LIMIT) {
                throw new IllegalArgumentException("maxResults must be 1 to " + MAX_RESULTS_LIMIT + ", but was "
                        + maxResults);
            }
            this.maxResults = maxResults;
            return this;
        }

        /** The token of the page to fetch, from {@link RunPage#nextPageToken()}; {@code null} for the first. */
        public Builder pageToken(String pageToken) {
            this.pageToken = pageToken;
            return this;
        }

        /**
         * Which runs to search: {@link RunView#ACTIVE_ONLY} (the default) hides deleted runs and the runs of deleted
         * experiments; {@link RunView#DELETED_ONLY} returns only those; {@link RunView#ALL} both.
         */
        public Builder view(RunView view) {
            this.view = java.util.Objects.requireNonNull(view, "view");
            return this;
        }

        public RunQuery build() {
            return new RunQuery(this);
        }
    }
}
