/**
 * Registry API: experiment runs, model versions with aliases, stages, lineage and an audit log,
 * and the in-process model server with hot swap. The entry point with its builder will live here;
 * implementations go to the internal package.
 */
package dev.mlops.registry;
