package org.slf4j;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;

/**
 * Test-only: slf4j-simple installs a no-op MDC adapter, so MDC values could never be observed in tests.
 * This swaps in slf4j's own thread-local {@link BasicMDCAdapter} (through MDC's package-private setter).
 */
public final class TestMdc {

    private TestMdc() {
    }

    /** Installs a working MDC adapter; returns the previous one. */
    public static MDCAdapter install() {
        MDCAdapter previous = MDC.getMDCAdapter();
        MDC.setMDCAdapter(new BasicMDCAdapter());
        return previous;
    }

    /** Restores an adapter returned by {@link #install()}. */
    public static void restore(MDCAdapter previous) {
        MDC.setMDCAdapter(previous);
    }
}
