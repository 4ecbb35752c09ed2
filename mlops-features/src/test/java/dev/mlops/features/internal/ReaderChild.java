package dev.mlops.features.internal;

import dev.mlops.features.spi.OnlineRecord;
import dev.mlops.features.spi.OnlineStore;
import java.nio.file.Path;

/** Child JVM main: opens an online store another process holds, prints a record and a watermark, closes. */
public final class ReaderChild {

    private ReaderChild() {
    }

    public static void main(String[] args) {
        try (OnlineStore s = OnlineStores.chronicle(Path.of(args[0]), 1000)) {
            OnlineRecord r = s.read(args[1], args[2]);
            System.out.println("RECORD " + (r == null ? "null" : r.eventMicros() + " " + r.payload().length));
            System.out.println("WATERMARK " + s.watermark(args[1]));
        }
    }
}
