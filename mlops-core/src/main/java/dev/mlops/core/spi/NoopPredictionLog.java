package dev.mlops.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** {@link PredictionLog#noop()}: checks arguments and keeps nothing. */
final class NoopPredictionLog implements PredictionLog {

    static final NoopPredictionLog INSTANCE = new NoopPredictionLog();

    private NoopPredictionLog() {
    }

    @Override
    public void append(PredictionRecord record) {
        Objects.requireNonNull(record, "record");
    }

    @Override
    public List<PredictionRecord> read(String model, Instant fromInclusive, Instant toExclusive) {
        InMemoryPredictionLog.checkRange(model, fromInclusive, toExclusive);
        return List.of();
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
