package dev.mlops.rag;

import java.nio.file.Path;

/**
 * Progress of loading and ingesting, reported while the work runs. Every method defaults to doing
 * nothing ({@link #NONE}); implementations must be fast and must not throw (an exception thrown here
 * aborts the call like any other failure, before the index commit). Called on the thread doing the
 * work.
 */
public interface IngestProgress {

    /** Reports nothing. */
    IngestProgress NONE = new IngestProgress() {
    };

    /** A file was loaded into {@code documents} documents (a PDF gives one per page with text). */
    default void fileLoaded(Path file, int documents, int filesDone, int filesTotal) {
    }

    /** A file was skipped (empty, or a PDF without extractable text); {@code reason} says why. */
    default void fileSkipped(Path file, String reason, int filesDone, int filesTotal) {
    }

    /**
     * The index compared the documents with what it holds: {@code chunks} chunks of the added and
     * updated documents will be embedded.
     */
    default void planned(int added, int updated, int unchanged, int deleted, int chunks) {
    }

    /** {@code done} of {@code total} chunks are embedded (after each embedding batch). */
    default void embedded(int done, int total) {
    }

    /** The changes were committed. */
    default void committed(IngestReport report) {
    }
}
