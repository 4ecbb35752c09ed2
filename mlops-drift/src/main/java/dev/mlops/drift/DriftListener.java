package dev.mlops.drift;

/**
 * Progress of a drift check across columns. Methods may be called from the detector's executor threads,
 * concurrently; they should return quickly. All default to doing nothing.
 */
public interface DriftListener {

    /** A listener that ignores every event. */
    DriftListener NONE = new DriftListener() {
    };

    /** A check over {@code columns} columns starts. */
    default void started(int columns) {
    }

    /** One column is done; {@code done} of {@code total} columns are done now. */
    default void columnDone(ColumnDrift result, int done, int total) {
    }
}
