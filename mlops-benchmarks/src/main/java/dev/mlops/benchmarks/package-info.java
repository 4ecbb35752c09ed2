/**
 * JMH benchmarks of the capability modules' hot paths; the figures on the benchmarks page of the
 * docs come from here.
 */
package dev.mlops.benchmarks;
