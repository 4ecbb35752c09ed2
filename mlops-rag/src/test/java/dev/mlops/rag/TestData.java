package dev.mlops.rag;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the shared data sets beside the repository (never committed into it). */
final class TestData {
    private TestData() {}

    /**
     * {@code -Dmlops.shared.data=DIR}, else {@code ../shared/data} relative to the repository root
     * (the module's working directory is {@code <repo>/mlops-rag}).
     */
    static Path sharedData() {
        String prop = System.getProperty("mlops.shared.data");
        if (prop != null) {
            return Path.of(prop);
        }
        for (Path p : new Path[] {Path.of("../../shared/data"), Path.of("../shared/data")}) {
            if (Files.isDirectory(p.resolve("beir"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("shared data not found: set -Dmlops.shared.data or put shared/ beside the repository");
    }

    static Path scifact() {
        return sharedData().resolve("beir/scifact");
    }

    /** The SQLite docs copied into the project as example data (public domain). */
    static Path sqliteDocs() {
        return Path.of("../examples/data/sqlite_docs").toAbsolutePath().normalize();
    }
}
