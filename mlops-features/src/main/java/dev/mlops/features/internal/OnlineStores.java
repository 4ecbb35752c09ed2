package dev.mlops.features.internal;

import dev.mlops.features.spi.OnlineStore;
import java.nio.file.Path;

/** Creates the embedded online store after the checks that must precede loading any Chronicle class. */
public final class OnlineStores {

    private OnlineStores() {
    }

    /**
     * The Chronicle Map store in {@code dir}: disables Chronicle's analytics (unless the host set the
     * property itself) and checks the JVM flags first.
     *
     * @param defaultEntries the key capacity of a view's map when the view gives no estimate
     */
    public static OnlineStore chronicle(Path dir, long defaultEntries) {
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
        JvmFlags.require();
        return new ChronicleOnlineStore(dir, defaultEntries);
    }
}
