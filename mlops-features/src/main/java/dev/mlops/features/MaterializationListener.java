package dev.mlops.features;

/** Progress of materialization; every method defaults to doing nothing. */
public interface MaterializationListener {

    /** A listener that ignores everything. */
    MaterializationListener NONE = new MaterializationListener() { };

    /** A view starts: {@code keys} entities to consider. */
    default void viewStarted(String view, long keys) {
    }

    /** {@code written} of the view's {@code keys} entities are done. */
    default void progress(String view, long done, long keys) {
    }

    /** The view is done and its watermark saved. */
    default void viewFinished(String view, long written) {
    }
}
