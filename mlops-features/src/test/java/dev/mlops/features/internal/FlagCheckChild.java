package dev.mlops.features.internal;

import java.nio.file.Path;

/** Child JVM main: opens the Chronicle online store and prints the error, if any. */
public final class FlagCheckChild {

    private FlagCheckChild() {
    }

    public static void main(String[] args) {
        try {
            OnlineStores.chronicle(Path.of(args[0]), 100).close();
            System.out.println("OPENED");
        } catch (RuntimeException e) {
            System.out.println("ERROR " + e.getClass().getName() + ": " + e.getMessage());
            System.exit(3);
        }
    }
}
