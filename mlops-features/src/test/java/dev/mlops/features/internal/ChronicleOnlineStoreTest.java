package dev.mlops.features.internal;

import dev.mlops.features.spi.OnlineStore;
import dev.mlops.features.spi.OnlineStoreContract;
import java.nio.file.Path;

/** The Chronicle Map store against the online-store contract. */
class ChronicleOnlineStoreTest extends OnlineStoreContract {

    @Override
    protected OnlineStore open(Path home) {
        return OnlineStores.chronicle(home, 10_000);
    }
}
