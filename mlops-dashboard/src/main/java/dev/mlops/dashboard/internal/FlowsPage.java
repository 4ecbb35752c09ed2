package dev.mlops.dashboard.internal;

import dev.mlops.core.flow.FlowRunRecord;
import dev.mlops.core.flow.FlowState;
import dev.mlops.core.flow.RunHistory;
import dev.mlops.core.flow.TaskRunRecord;
import dev.mlops.core.flow.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flows page: the last {@code n} runs of any flow (newest first), a summary per flow over those runs, and the
 * failures among them.
 *
 * @param runs      the recent runs, newest first
 * @param flows     one summary per flow, by flow name
 * @param failures  the runs that ended FAILED or CRASHED, newest first
 */
public record FlowsPage(List<Run> runs, List<FlowSummary> flows, List<Run> failures) {

    /**
     * One run.
     *
     * @param duration   end - start; for a RUNNING run, now - start
     * @param failedTask the first task (in record order) that FAILED, or null
     */
    public record Run(String runId, String flow, FlowState state, Instant start, Duration duration, int tasks,
                      String failedTask, String error) {
        boolean failed() {
            return state == FlowState.FAILED || state == FlowState.CRASHED;
        }
    }

    /**
     * One flow over the recent runs.
     *
     * @param failed          runs that ended FAILED or CRASHED
     * @param medianDuration  the median duration of the finished runs (mean of the two middle ones for an even
     *                        count), or null if none finished
     * @param maxDuration     the longest finished run, or null
     */
    public record FlowSummary(String flow, int runs, int completed, int failed, Duration medianDuration,
                              Duration maxDuration, FlowState lastState, Instant lastStart) {
    }

    /** The page over the last {@code n} runs of {@code history}, with "now" from {@code clock}. */
    public static FlowsPage of(RunHistory history, int n, Clock clock) {
        Instant now = clock.instant();
        List<Run> runs = new ArrayList<>();
        for (FlowRunRecord r : history.recentRuns(n)) {
            Duration d = r.end() != null ? Duration.between(r.start(), r.end())
                    : r.state() == FlowState.RUNNING ? Duration.between(r.start(), now) : null;
            String failedTask = r.tasks().stream().filter(t -> t.state() == TaskState.FAILED)
                    .map(TaskRunRecord::task).findFirst().orElse(null);
            runs.add(new Run(r.runId(), r.flow(), r.state(), r.start(), d, r.tasks().size(), failedTask, r.error()));
        }
        Map<String, List<Run>> byFlow = new LinkedHashMap<>();
        runs.stream().sorted(Comparator.comparing(Run::flow))
                .forEach(r -> byFlow.computeIfAbsent(r.flow(), k -> new ArrayList<>()).add(r));
        List<FlowSummary> flows = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : byFlow.entrySet()) {
            List<Run> rs = e.getValue(); // newest first, as in runs
            List<Duration> finished = rs.stream().filter(r -> r.state() != FlowState.RUNNING && r.duration() != null)
                    .map(Run::duration).sorted().toList();
            Duration median = null;
            if (!finished.isEmpty()) {
                int m = finished.size() / 2;
                median = finished.size() % 2 == 1 ? finished.get(m)
                        : finished.get(m - 1).plus(finished.get(m)).dividedBy(2);
            }
            flows.add(new FlowSummary(e.getKey(), rs.size(),
                    (int) rs.stream().filter(r -> r.state() == FlowState.COMPLETED).count(),
                    (int) rs.stream().filter(Run::failed).count(), median,
                    finished.isEmpty() ? null : finished.get(finished.size() - 1), rs.get(0).state(),
                    rs.get(0).start()));
        }
        return new FlowsPage(List.copyOf(runs), List.copyOf(flows), runs.stream().filter(Run::failed).toList());
    }

    /** The page's HTML body. */
    String render() {
        Html h = new Html();
        h.el("h1", "Flows");
        if (runs.isEmpty()) {
            h.raw("<p class=\"empty\">The run history is empty: no flow has run yet.</p>");
            return h.toString();
        }
        h.el("h2", "Per flow (last " + runs.size() + " runs)");
        h.raw("<table id=\"flow-summary\">").head("flow", "runs", "completed", "failed", "median duration",
                "longest", "last state", "last start");
        for (FlowSummary f : flows) {
            h.row(f.flow(), f.runs(), f.completed(), f.failed(), Html.duration(f.medianDuration()),
                    Html.duration(f.maxDuration()), f.lastState(), Html.time(f.lastStart()));
        }
        h.raw("</tbody></table>");
        h.el("h2", "Durations, oldest to newest");
        List<Svg.Bar> bars = new ArrayList<>();
        for (int i = runs.size() - 1; i >= 0; i--) {
            Run r = runs.get(i);
            double ms = r.duration() == null ? Double.NaN : r.duration().toNanos() / 1e6;
            bars.add(new Svg.Bar(r.flow() + " " + Html.time(r.start()), ms, r.failed() ? "bad"
                    : r.state() == FlowState.COMPLETED ? "ok" : "other"));
        }
        h.raw(Svg.bars("flow-durations", "run durations in ms (red: failed)", bars, " ms"));
        h.el("h2", "Failures");
        if (failures.isEmpty()) {
            h.raw("<p>No failed run among the recent runs.</p>");
        } else {
            h.raw("<table id=\"flow-failures\">").head("start", "flow", "run", "state", "failed task", "error");
            for (Run r : failures) {
                h.row(Html.time(r.start()), r.flow(), r.runId(), r.state(), r.failedTask(), r.error());
            }
            h.raw("</tbody></table>");
        }
        h.el("h2", "Recent runs");
        h.raw("<table id=\"flow-runs\">").head("start", "flow", "run", "state", "duration", "tasks", "error");
        for (Run r : runs) {
            h.rowClass(r.failed() ? "bad" : "", List.of(Html.time(r.start()), r.flow(), r.runId(), r.state(),
                    Html.duration(r.duration()), r.tasks(), r.error() == null ? "" : r.error()));
        }
        h.raw("</tbody></table>");
        return h.toString();
    }
}
