/**
 * Streaming drift detectors on a metric stream (ADWIN, Page-Hinkley, KSWIN, DDM): one value at a time,
 * constant memory, no allocation per value. Each detector is built by its own {@code builder()} with
 * River's default parameters; see {@link dev.mlops.drift.stream.StreamingDetector} for the manual.
 */
package dev.mlops.drift.stream;
