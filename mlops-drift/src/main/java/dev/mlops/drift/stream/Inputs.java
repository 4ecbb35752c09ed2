package dev.mlops.drift.stream;

import dev.mlops.core.DataFormatException;

/** Checks shared by the detectors' builders and update paths; every failure names the parameter or value. */
final class Inputs {

    private Inputs() {
    }

    /** Refuses a NaN or infinite stream value; called before any state changes. */
    static void requireFinite(String detector, long position, double value) {
        if (!Double.isFinite(value)) {
            throw DataFormatException.builder("not a finite number")
                    .source(detector + " stream")
                    .line(position)
                    .value(Double.toString(value))
                    .fix("drop or impute missing and infinite values before feeding the detector")
                    .build();
        }
    }

    static double open01(String name, double v) {
        if (!(v > 0.0 && v < 1.0)) {
            throw new IllegalArgumentException(name + " must be in (0, 1), but was " + v);
        }
        return v;
    }

    static double positive(String name, double v) {
        if (!(v > 0.0) || v == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, but was " + v);
        }
        return v;
    }

    static double nonNegative(String name, double v) {
        if (!(v >= 0.0) || v == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, but was " + v);
        }
        return v;
    }

    static int atLeast(String name, int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", but was " + v);
        }
        return v;
    }
}
