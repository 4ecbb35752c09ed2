package dev.mlops.core.io;

import dev.mlops.core.MlopsException;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.ResourceUnavailableException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Turns an {@link IOException} on a file into the matching {@link MlopsException}. */
final class IoErrors {

    private static final int MAX_LISTED_SIBLINGS = 1000;

    private IoErrors() {
    }

    /**
     * @param action what was being done, e.g. {@code "read"} or {@code "write"}
     */
    static MlopsException of(Path file, String action, IOException e) {
        if (e instanceof NoSuchFileException) {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                return new NotFoundException("directory", dir.toString(), siblings(dir, e), e);
            }
            return new NotFoundException("file", file.toString(), siblings(file, e), e);
        }
        if (e instanceof AccessDeniedException) {
            return new NonRetriableException("cannot " + action + " '" + file + "': permission denied. "
                    + "Fix: give this process " + action + " access to it", e);
        }
        return new ResourceUnavailableException(file.toString(), action + " failed (" + e + ")", e);
    }

    /** The files beside {@code file}, so a typo in its name shows up in the message. */
    private static List<String> siblings(Path file, IOException cause) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.limit(MAX_LISTED_SIBLINGS)
                    .map(p -> file.resolveSibling(p.getFileName()).toString())
                    .sorted()
                    .toList();
        } catch (IOException listing) {
            cause.addSuppressed(listing); // the listing only decorates the message
            return List.of();
        }
    }
}
