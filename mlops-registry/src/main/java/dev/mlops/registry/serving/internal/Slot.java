package dev.mlops.registry.serving.internal;

import dev.mlops.registry.serving.LoadFailure;
import dev.mlops.registry.serving.ServedPrediction.Role;
import dev.mlops.registry.serving.SlotStatus;
import java.util.concurrent.atomic.AtomicReference;

/** One followed URI: the loaded version (swapped atomically) and the loader's bookkeeping (guarded by this). */
final class Slot {
    final String uri;
    /** The alias the URI follows ({@code champion} of {@code models:/m@champion}), or null for a fixed version. */
    final String alias;
    final Role role;
    final AtomicReference<Loaded> current = new AtomicReference<>();
    volatile LoadFailure lastFailure;
    /** The version whose load failed, not retried until the alias moves on; guarded by this. */
    Integer failedVersion;

    Slot(String uri, Role role) {
        this.uri = uri;
        int at = uri.lastIndexOf('@');
        this.alias = at < 0 ? null : uri.substring(at + 1);
        this.role = role;
    }

    SlotStatus status() {
        Loaded l = current.get();
        return l == null ? new SlotStatus(uri, null, null, lastFailure)
                : new SlotStatus(uri, l.version.version(), l.loadedAt, lastFailure);
    }
}
