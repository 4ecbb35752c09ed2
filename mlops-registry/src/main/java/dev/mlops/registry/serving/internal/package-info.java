/**
 * Implementation of model serving: the alias-following slots, input checks, meters and the HTTP handlers. Not API.
 */
package dev.mlops.registry.serving.internal;
