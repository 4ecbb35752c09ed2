package dev.mlops.core.flow;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a task's result is cached: the serializer that persists it, how long an entry stays valid, whether
 * to ignore existing entries ({@link #refresh()}), and which flow parameters enter the key beside the
 * task's own inputs. Immutable.
 *
 * <p>The key is SHA-256 over the task name, its version, the fingerprint of every declared input and of
 * each listed parameter. If any of those has no fingerprint the key cannot be computed and the call runs
 * uncached (fail closed); the task's {@link TaskRunRecord#cacheNote()} says why.
 *
 * @param <T> the result type
 */
public final class CachePolicy<T> {

    private final ResultSerializer<T> serializer;
    private final Duration expireAfter;
    private final boolean refresh;
    private final List<Param<?>> keyParams;

    private CachePolicy(ResultSerializer<T> serializer, Duration expireAfter, boolean refresh,
            List<Param<?>> keyParams) {
        this.serializer = serializer;
        this.expireAfter = expireAfter;
        this.refresh = refresh;
        this.keyParams = keyParams;
    }

    /** Caches results persisted with {@code serializer}, never expiring. */
    public static <T> CachePolicy<T> of(ResultSerializer<T> serializer) {
        return new CachePolicy<>(Objects.requireNonNull(serializer, "serializer"), null, false, List.of());
    }

    /** Entries older than {@code ttl} (by the engine's clock) are ignored and recomputed. */
    public CachePolicy<T> expireAfter(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("cache expiry must be positive, got " + ttl);
        }
        return new CachePolicy<>(serializer, ttl, refresh, keyParams);
    }

    /** With {@code true}, existing entries are ignored and overwritten by the fresh result. */
    public CachePolicy<T> refresh(boolean refresh) {
        return new CachePolicy<>(serializer, expireAfter, refresh, keyParams);
    }

    /** Flow parameters whose values enter the key beside the task's inputs. */
    public CachePolicy<T> keyParams(Param<?>... params) {
        return new CachePolicy<>(serializer, expireAfter, refresh, List.of(params));
    }

    ResultSerializer<T> serializer() {
        return serializer;
    }

    Duration expireAfterOrNull() {
        return expireAfter;
    }

    /** Whether existing entries are ignored. */
    public boolean refresh() {
        return refresh;
    }

    List<Param<?>> keyParamList() {
        return keyParams;
    }
}
