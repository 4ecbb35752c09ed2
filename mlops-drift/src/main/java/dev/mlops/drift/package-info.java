/**
 * Drift API: univariate tests and distances, dataset, multivariate and streaming detectors,
 * mergeable reference profiles, JSON/HTML reports and the monitors that raise alerts.
 */
package dev.mlops.drift;
