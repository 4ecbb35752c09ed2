/**
 * What the SDK's HTTP endpoints (the model endpoint, the monitoring dashboard) share: the bearer-token rule
 * and the check that only a loopback address may be served without one.
 */
package dev.mlops.core.http;
