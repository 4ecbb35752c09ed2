package dev.mlops.core.flow;

import dev.mlops.core.NonRetriableException;
import java.io.Serial;

/**
 * A flow definition or the parameters of a run are invalid: a cycle, a missing input, a duplicate task
 * name, a parameter of the wrong type. Thrown before any task runs; the message names the flow, the task
 * or parameter and the fix.
 */
public class FlowDefinitionException extends NonRetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    public FlowDefinitionException(String message) {
        super(message);
    }
}
