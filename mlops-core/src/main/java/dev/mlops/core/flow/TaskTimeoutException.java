package dev.mlops.core.flow;

import dev.mlops.core.RetriableException;
import java.io.Serial;
import java.time.Duration;

/** An attempt of a task ran longer than its timeout and was interrupted and abandoned. Retriable. */
public class TaskTimeoutException extends RetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    public TaskTimeoutException(String flow, String task, int attempt, Duration timeout) {
        super("task '" + task + "' of flow '" + flow + "' timed out after " + timeout + " (attempt " + attempt
                + "); its thread was interrupted and the task's slot released. Fix: raise the timeout, or make "
                + "the task faster or responsive to interruption");
    }
}
