/** Helpers shared by the core packages; not exported, not an API. */
package dev.mlops.core.internal;
