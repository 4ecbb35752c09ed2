package dev.mlops.registry;

/**
 * A buffered metric logger for hot training loops, from {@link RegistryRun#bufferedLogger()}.
 *
 * <p>{@link #log} validates the key and step, stamps the point with the registry's clock and appends it to an
 * in-memory buffer: it costs well under a microsecond on the caller's thread and does no I/O. Full buffers are
 * written in order by the registry's executor, each in one transaction. A point is <b>acknowledged</b> (durable,
 * visible to readers and other processes, and kept if the JVM is killed) only when {@link #flush()} or
 * {@link #close()} returns after it was logged. Ending the run flushes its loggers first.
 *
 * <p>Thread-safe: several threads may log through one logger. If a background write fails, the failure is
 * thrown by the next {@code log}, {@code flush} or {@code close}, and nothing after the failed chunk is written.
 */
public interface MetricLogger extends AutoCloseable {

    /**
     * Appends a point to the buffer.
     *
     * @throws IllegalArgumentException if the key is invalid or {@code step < 0}
     * @throws IllegalStateException    if the run has ended or the logger is closed
     */
    void log(String key, double value, long step);

    /** Blocks until every point logged before the call is durable in the store, then returns. */
    void flush();

    /** Flushes and closes the logger; later {@code log} calls throw. Closing twice does nothing. */
    @Override
    void close();
}
