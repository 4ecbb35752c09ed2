package dev.mlops.rag;

import dev.mlops.rag.spi.Embedder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An in-memory cache of answers, exact and (with an embedder) semantic.
 *
 * <p>Every entry belongs to a {@link Key}: index version, embedding model, prompt id and generator
 * model. A lookup only sees entries of the same key, so a new index version, prompt version or model
 * never returns an old answer (the old entries age out by TTL or LRU).
 *
 * <ul>
 *   <li>Exact: the question normalised (NFKC, trimmed, runs of whitespace → one space, lowercased in
 *       the root locale) equals a stored one.
 *   <li>Semantic (only with {@link Builder#semantic}): otherwise, the stored entry of the same key whose
 *       question embedding has the highest cosine with the question's, if that cosine is {@code >=}
 *       the threshold (ties: the most recently used). A linear scan over the key's entries.
 *   <li>An entry lives {@code ttl} from its {@code put} (by the injected clock): it is served while
 *       {@code now < storedAt + ttl}. Beyond {@code maxEntries} the least recently used is evicted.
 * </ul>
 *
 * <p>Meters: {@code mlops.rag.cache.lookups{result=exact|semantic|miss}}, gauge
 * {@code mlops.rag.cache.size}; {@link #stats()} gives the same counts and the hit rate. Thread-safe
 * (one lock; the embedding is computed outside it).
 */
public final class ResponseCache {

    /** What an answer depends on besides the question. */
    public record Key(String indexVersion, String embeddingModelId, String promptId, String generatorModelId) {
        public Key {
            Objects.requireNonNull(indexVersion, "indexVersion");
            Objects.requireNonNull(embeddingModelId, "embeddingModelId");
            Objects.requireNonNull(promptId, "promptId");
            Objects.requireNonNull(generatorModelId, "generatorModelId");
        }
    }

    /** How a lookup was served. */
    public enum HitKind { EXACT, SEMANTIC }

    /** A cache hit: the answer, how it matched, and the cosine for a semantic hit (1 for exact). */
    public record Hit(Answer answer, HitKind kind, double similarity) {}

    /** Lookup counts since creation. */
    public record Stats(long exactHits, long semanticHits, long misses) {
        /** (exact + semantic) / lookups; 0 before any lookup. */
        public double hitRate() {
            long total = exactHits + semanticHits + misses;
            return total == 0 ? 0 : (double) (exactHits + semanticHits) / total;
        }
    }

    private record Slot(Key key, String normalized) {}

    private record Entry(float[] vector, Answer answer, Instant expiresAt) {}

    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final Embedder embedder;
    private final double threshold;
    private final LinkedHashMap<Slot, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Counter exact;
    private final Counter semantic;
    private final Counter miss;

    private ResponseCache(Builder b) {
        this.clock = b.clock;
        this.ttl = b.ttl;
        this.maxEntries = b.maxEntries;
        this.embedder = b.embedder;
        this.threshold = b.threshold;
        MeterRegistry r = b.registry;
        this.exact = Counter.builder("mlops.rag.cache.lookups").tag("result", "exact").register(r);
        this.semantic = Counter.builder("mlops.rag.cache.lookups").tag("result", "semantic").register(r);
        this.miss = Counter.builder("mlops.rag.cache.lookups").tag("result", "miss").register(r);
        Gauge.builder("mlops.rag.cache.size", this, ResponseCache::size).register(r);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; all optional (exact only, TTL 1 h, 10,000 entries, system clock). */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration ttl = Duration.ofHours(1);
        private int maxEntries = 10_000;
        private Embedder embedder;
        private double threshold = Double.NaN;
        private MeterRegistry registry = new SimpleMeterRegistry();

        private Builder() {}

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder ttl(Duration ttl) {
            if (ttl == null || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be > 0, was " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        public Builder maxEntries(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxEntries must be >= 1, was " + n);
            }
            this.maxEntries = n;
            return this;
        }

        /** Enables semantic hits: cosine of the questions' embeddings {@code >= threshold}, in (0, 1]. */
        public Builder semantic(Embedder embedder, double threshold) {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("semantic threshold must be in (0, 1], was " + threshold);
            }
            this.embedder = Objects.requireNonNull(embedder, "embedder");
            this.threshold = threshold;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public ResponseCache build() {
            return new ResponseCache(this);
        }
    }

    /** The question as the exact match sees it. */
    public static String normalize(String question) {
        return Normalizer.normalize(question, Normalizer.Form.NFKC).strip().replaceAll("\\s+", " ")
                .toLowerCase(Locale.ROOT);
    }

    /** Looks the question up under the key; counts a hit or a miss. */
    public Optional<Hit> get(Key key, String question) {
        Objects.requireNonNull(key, "key");
        Slot slot = new Slot(key, normalize(question));
        synchronized (this) {
            Entry e = live(slot);
            if (e != null) {
                exact.increment();
                return Optional.of(new Hit(e.answer(), HitKind.EXACT, 1.0));
            }
            if (embedder == null || !hasKey(key)) {
                miss.increment();
                return Optional.empty();
            }
        }
        float[] q = embedder.embed(question);
        synchronized (this) {
            Slot best = null;
            double bestSim = Double.NEGATIVE_INFINITY;
            Instant now = clock.instant();
            for (Map.Entry<Slot, Entry> me : entries.entrySet()) {
                if (!me.getKey().key().equals(key) || !now.isBefore(me.getValue().expiresAt())) {
                    continue;
                }
                double sim = cosine(q, me.getValue().vector());
                if (sim >= bestSim) { // iteration is least- to most-recently used: ties go to the later one
                    bestSim = sim;
                    best = me.getKey();
                }
            }
            if (best != null && bestSim >= threshold) {
                semantic.increment();
                return Optional.of(new Hit(entries.get(best).answer(), HitKind.SEMANTIC, bestSim));
            }
            miss.increment();
            return Optional.empty();
        }
    }

    /** Stores the answer for the question under {@link Answer#cacheKey()}; replaces an exact duplicate. */
    public void put(String question, Answer answer) {
        Objects.requireNonNull(answer, "answer");
        Slot slot = new Slot(answer.cacheKey(), normalize(question));
        float[] v = embedder == null ? null : embedder.embed(question);
        synchronized (this) {
            entries.put(slot, new Entry(v, answer, clock.instant().plus(ttl)));
            Iterator<Slot> it = entries.keySet().iterator();
            while (entries.size() > maxEntries && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
    }

    /** Drops every entry (counts are kept). */
    public synchronized void clear() {
        entries.clear();
    }

    /** Entries held, expired ones included until they are looked up or evicted. */
    public synchronized int size() {
        return entries.size();
    }

    public Stats stats() {
        return new Stats((long) exact.count(), (long) semantic.count(), (long) miss.count());
    }

    private Entry live(Slot slot) {
        Entry e = entries.get(slot);
        if (e != null && !clock.instant().isBefore(e.expiresAt())) {
            entries.remove(slot);
            return null;
        }
        return e;
    }

    private boolean hasKey(Key key) {
        for (Slot s : entries.keySet()) {
            if (s.key().equals(key)) {
                return true;
            }
        }
        return false;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
