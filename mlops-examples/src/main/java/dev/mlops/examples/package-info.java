/**
 * The {@code mlops} command line ({@link dev.mlops.examples.Main}) and the runnable scenarios that
 * wire the capability modules together the way a host application would.
 */
package dev.mlops.examples;
