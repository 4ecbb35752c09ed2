package dev.mlops.core.flow;

import dev.mlops.core.NonRetriableException;
import dev.mlops.core.RetriableException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * When and how long to wait before trying a failed task again. Immutable.
 *
 * <p><b>Delays.</b> {@link #fixed} waits the same delay before each retry; {@link #listed} waits the
 * listed delays in order (and the last one again if more retries are allowed); {@link #exponential} waits
 * {@code base * factor^(n-1)} before retry {@code n}, capped at {@code max}.
 *
 * <p><b>Jitter.</b> With {@link #withJitter(double) jitter j} in {@code [0, 1]}, a configured delay
 * {@code d} becomes {@code d * U} with {@code U} uniform on {@code [1 - j, 1 + j]}: the delays spread out
 * while their <em>mean</em> stays exactly {@code d}.
 *
 * <p><b>Which failures retry.</b> By default: a {@link RetriableException} (a timeout is one) and any other
 * {@link Exception}, but never a {@link NonRetriableException} and never an {@link Error}. Narrow it with
 * {@link #retryOn(Predicate)}; the predicate is only consulted for exceptions that are not
 * {@code NonRetriableException}s.
 */
public final class Retry {

    private static final Retry NONE = new Retry(0, List.of(), 1.0, null, 0.0, Retry::defaultRetriable);

    private final int retries;
    private final List<Duration> delays;
    private final double factor;
    private final Duration max;
    private final double jitter;
    private final Predicate<? super Throwable> predicate;

    private Retry(int retries, List<Duration> delays, double factor, Duration max, double jitter,
            Predicate<? super Throwable> predicate) {
        this.retries = retries;
        this.delays = delays;
        this.factor = factor;
        this.max = max;
        this.jitter = jitter;
        this.predicate = predicate;
    }

    /** No retries: the first failure fails the task. */
    public static Retry none() {
        return NONE;
    }

    /** Up to {@code retries} retries, each after {@code delay}. */
    public static Retry fixed(int retries, Duration delay) {
        checkRetries(retries);
        return new Retry(retries, List.of(checkDelay(delay, "delay")), 1.0, null, 0.0, Retry::defaultRetriable);
    }

    /** One retry per listed delay, in order. */
    public static Retry listed(Duration... delays) {
        Objects.requireNonNull(delays, "delays");
        if (delays.length == 0) {
            throw new IllegalArgumentException("Retry.listed needs at least one delay; use Retry.none() for none");
        }
        for (int i = 0; i < delays.length; i++) {
            checkDelay(delays[i], "delays[" + i + "]");
        }
        return new Retry(delays.length, List.copyOf(Arrays.asList(delays)), 1.0, null, 0.0,
                Retry::defaultRetriable);
    }

    /**
     * Up to {@code retries} retries; retry {@code n} (1-based) waits {@code min(base * factor^(n-1), max)}.
     *
     * @throws IllegalArgumentException if {@code factor < 1} or {@code max < base}
     */
    public static Retry exponential(int retries, Duration base, double factor, Duration max) {
        checkRetries(retries);
        checkDelay(base, "base");
        checkDelay(max, "max");
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("exponential retry factor must be a finite number >= 1, got "
                    + factor);
        }
        if (max.compareTo(base) < 0) {
            throw new IllegalArgumentException("exponential retry max (" + max + ") is below base (" + base
                    + "). Fix: pass max >= base");
        }
        return new Retry(retries, List.of(base), factor, max, 0.0, Retry::defaultRetriable);
    }

    /**
     * The same policy with jitter {@code j}: each delay {@code d} is drawn uniformly from
     * {@code [d(1-j), d(1+j)]}, so its mean is {@code d}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= j <= 1}
     */
    public Retry withJitter(double j) {
        if (!(j >= 0.0 && j <= 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1], got " + j
                    + ". Fix: 0.5 spreads each delay over [0.5d, 1.5d] and keeps its mean d");
        }
        return new Retry(retries, delays, factor, max, j, predicate);
    }

    /** The same delays, retrying only failures that {@code retryIf} accepts (never a NonRetriableException). */
    public Retry retryOn(Predicate<? super Throwable> retryIf) {
        Objects.requireNonNull(retryIf, "retryIf");
        return new Retry(retries, delays, factor, max, jitter, retryIf);
    }

    /** The same delays, retrying only exceptions of the given types (never a NonRetriableException). */
    @SafeVarargs
    public final Retry retryOn(Class<? extends Throwable>... types) {
        List<Class<? extends Throwable>> list = List.of(types);
        return retryOn(t -> list.stream().anyMatch(c -> c.isInstance(t)));
    }

    /** The most retries (attempts are one more). */
    public int retries() {
        return retries;
    }

    /** The jitter fraction. */
    public double jitter() {
        return jitter;
    }

    /** Whether {@code failure} after attempt {@code attempt} (1-based) may be retried. */
    public boolean shouldRetry(Throwable failure, int attempt) {
        if (attempt > retries || failure instanceof NonRetriableException || failure instanceof Error) {
            return false;
        }
        return predicate.test(failure);
    }

    /**
     * The delay before retry {@code n} (1-based), before jitter.
     *
     * @throws IllegalArgumentException if {@code n} is not in {@code 1..retries()}
     */
    public Duration configuredDelay(int n) {
        if (n < 1 || n > retries) {
            throw new IllegalArgumentException("retry number must be in 1.." + retries + ", got " + n);
        }
        if (max == null) {
            return delays.get(Math.min(n, delays.size()) - 1);
        }
        double nanos = delays.get(0).toNanos() * Math.pow(factor, n - 1);
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }

    /** The delay before retry {@code n} with jitter drawn from {@code random}. */
    public Duration delay(int n, RandomGenerator random) {
        Duration d = configuredDelay(n);
        if (jitter == 0.0 || d.isZero()) {
            return d;
        }
        double u = 1.0 - jitter + 2.0 * jitter * random.nextDouble();
        return Duration.ofNanos(Math.round(d.toNanos() * u));
    }

    private static boolean defaultRetriable(Throwable t) {
        return t instanceof Exception;
    }

    private static void checkRetries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
    }

    private static Duration checkDelay(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException("retry " + what + " must not be negative, got " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "Retry[retries=" + retries + ", delays=" + delays + ", factor=" + factor + ", max=" + max
                + ", jitter=" + jitter + "]";
    }
}
