package dev.mlops.registry.serving;

/**
 * Lifecycle events of a {@link ModelServer}. Every method defaults to a no-op; methods run on the thread that caused
 * the event (the loader for loads, the shadow executor for comparisons) and must not block. An exception thrown by a
 * listener is logged and otherwise ignored, so a faulty listener cannot stop a swap.
 */
public interface ServerListener {

    /** A listener that does nothing. */
    ServerListener NONE = new ServerListener() { };

    /**
     * A new version is loaded and now answers for {@code uri}.
     *
     * @param previousVersion the version it replaced, or {@code null} for the first load
     */
    default void versionLoaded(String uri, Integer previousVersion, int version) { }

    /** Following {@code uri} failed; the previously loaded version (if any) keeps answering. */
    default void loadFailed(LoadFailure failure, Exception cause) { }

    /** A shadow prediction was made and compared. */
    default void shadowCompared(ShadowComparison comparison) { }
}
