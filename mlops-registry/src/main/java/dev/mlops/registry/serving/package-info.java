/**
 * Serving a registered model: {@link dev.mlops.registry.serving.ModelServer} answers predictions in-process for
 * {@code models:/name@alias}, follows the alias with atomic hot swaps, routes champion/challenger traffic and logs
 * every prediction; {@link dev.mlops.registry.serving.ModelEndpoint} puts it behind HTTP on the JDK's server.
 */
package dev.mlops.registry.serving;
