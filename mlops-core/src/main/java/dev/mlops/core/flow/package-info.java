/**
 * The flow engine: a typed DAG of named tasks ({@link dev.mlops.core.flow.Flow}) run in-process by a
 * {@link dev.mlops.core.flow.FlowEngine} with retries, timeouts that really stop a task, fail-closed
 * content-addressed caching and a crash-safe run history. See {@code docs/flows.md} for the semantics.
 */
package dev.mlops.core.flow;
