package dev.mlops.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the project's {@code examples/data} directory (the SQLite documentation and the Bike Sharing data, see
 * {@code examples/data/README.md}): the system property {@value #PROPERTY} (the {@code ./mlops} launcher sets it),
 * else {@code examples/data} or {@code ../examples/data} from the working directory.
 */
final class ExampleData {

    static final String PROPERTY = "mlops.examples.data";

    private ExampleData() {
    }

    /** The directory, checked to hold {@code marker} (a path inside it). */
    static Path locate(String marker) {
        List<Path> tried = new ArrayList<>();
        String property = System.getProperty(PROPERTY);
        List<Path> candidates = property != null ? List.of(Path.of(property))
                : List.of(Path.of("examples/data"), Path.of("../examples/data"));
        for (Path dir : candidates) {
            tried.add(dir.toAbsolutePath().normalize());
            if (Files.exists(dir.resolve(marker))) {
                return dir;
            }
        }
        throw new IllegalStateException("the example data '" + marker + "' is not in " + tried
                + ". Fix: run from the repository root with ./mlops, or pass -D" + PROPERTY
                + "=<repository>/examples/data");
    }
}
