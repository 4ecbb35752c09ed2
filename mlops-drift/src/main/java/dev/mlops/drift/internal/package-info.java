/**
 * Implementation of the drift statistics (Kolmogorov-Smirnov distributions, binning, tests on prepared
 * samples) and of the detector; not exported.
 */
package dev.mlops.drift.internal;
