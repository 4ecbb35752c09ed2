package dev.mlops.features.redis.internal;

import dev.mlops.core.NonRetriableException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.features.spi.OnlineRecord;
import dev.mlops.features.spi.OnlineStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@link OnlineStore} on Redis through a {@link JedisPool}. A record is one string value: 16 bytes of
 * order key (event micros then created micros, each big-endian with the sign bit flipped, so that byte
 * order is (event, created) order) followed by the payload. Writes go through a Lua script that keeps
 * the stored value when its order key is greater, which makes concurrent writers from many hosts safe
 * and re-writes idempotent. Created by {@code RedisOnlineStore.builder()}.
 */
public final class JedisOnlineStore implements OnlineStore {

    private static final Logger LOG = LoggerFactory.getLogger(JedisOnlineStore.class);
    private static final int HEADER = 16;
    private static final int BATCH = 1000;

    /** KEYS[1] record key; ARGV[1] value; ARGV[2] absolute expiry in epoch ms, or "0" for none. */
    private static final byte[] WRITE_SCRIPT = ("""
            local old = redis.call('GETRANGE', KEYS[1], 0, 15)
            if #old == 16 then
              local new = string.sub(ARGV[1], 1, 16)
              for i = 1, 16 do
                local a, b = string.byte(old, i), string.byte(new, i)
                if a > b then return 0 end
                if a < b then break end
              end
            end
            if ARGV[2] == '0' then
              redis.call('SET', KEYS[1], ARGV[1])
            else
              redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
            end
            return 1
            """).getBytes(StandardCharsets.UTF_8);

    private final JedisPool pool;
    private final String server;
    private final String namespace;
    private final int retries;
    private final long backoffMillis;
    private final Map<String, Long> expiryMillis;
    private final byte[] watermarkKey;
    private final MeterRegistry meters;
    private final Tags tags;
    private final Counter retried;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private volatile byte[] scriptSha;
    private volatile boolean closed;

    /** See {@code RedisOnlineStore.Builder}. */
    public JedisOnlineStore(String host, int port, String namespace, int timeoutMillis, int maxConnections, int retries,
            long backoffMillis, Map<String, Long> expiryMillis, MeterRegistry meters) {
        this.server = "redis://" + host + ":" + port;
        this.namespace = namespace;
        this.retries = retries;
        this.backoffMillis = backoffMillis;
        this.expiryMillis = Map.copyOf(expiryMillis);
        this.watermarkKey = bytes(namespace + ":watermarks");
        GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(maxConnections);
        config.setMaxIdle(maxConnections);
        config.setMinIdle(0);
        config.setTestOnBorrow(false);
        config.setJmxEnabled(false);
        config.setMaxWait(java.time.Duration.ofMillis(timeoutMillis));
        this.pool = new JedisPool(config, new HostAndPort(host, port), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis).socketTimeoutMillis(timeoutMillis).clientName("mlops-online-store")
                .autoNegotiateProtocol(false).build());
        this.meters = meters;
        this.tags = Tags.of("server", server, "namespace", namespace);
        Gauge.builder("mlops.features.redis.pool.active", pool, JedisPool::getNumActive).tags(tags)
                .description("connections lent out").register(meters);
        Gauge.builder("mlops.features.redis.pool.idle", pool, JedisPool::getNumIdle).tags(tags)
                .description("idle pooled connections").register(meters);
        Gauge.builder("mlops.features.redis.pool.waiters", pool, JedisPool::getNumWaiters).tags(tags)
                .description("threads waiting for a connection").register(meters);
        Gauge.builder("mlops.features.redis.pool.max", pool, p -> maxConnections).tags(tags)
                .description("the pool's size").register(meters);
        this.retried = Counter.builder("mlops.features.redis.retries").tags(tags)
                .description("attempts repeated after a connection failure or timeout").register(meters);
    }

    private Timer timer(String op, String outcome) {
        return timers.computeIfAbsent(op + "/" + outcome, k -> Timer.builder("mlops.features.redis.calls")
                .description("online store calls, retries included").tags(tags).tag("op", op).tag("outcome", outcome)
                .register(meters));
    }

    private void error(String cause) {
        errors.computeIfAbsent(cause, c -> Counter.builder("mlops.features.redis.errors")
                .description("failed attempts by cause").tags(tags).tag("cause", c).register(meters)).increment();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] recordKey(String view, String key) {
        return bytes(namespace + ":r:" + view + ":" + key);
    }

    static byte[] encode(OnlineRecord r) {
        return ByteBuffer.allocate(HEADER + r.payload().length).putLong(r.eventMicros() ^ Long.MIN_VALUE)
                .putLong(r.createdMicros() ^ Long.MIN_VALUE).put(r.payload()).array();
    }

    private OnlineRecord decode(String view, String key, byte[] value) {
        if (value.length < HEADER) {
            throw new NonRetriableException("record '" + key + "' of view '" + view + "' in " + server + " has " + value.length
                    + " bytes, fewer than its 16-byte header: the key was written by something else. Fix: delete "
                    + namespace + ":r:" + view + ":" + key + " and materialize the view again");
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        long event = b.getLong() ^ Long.MIN_VALUE;
        long created = b.getLong() ^ Long.MIN_VALUE;
        return new OnlineRecord(key, event, created, Arrays.copyOfRange(value, HEADER, value.length));
    }

    /**
     * Runs {@code op} on a pooled connection, retrying connection failures and timeouts; times it under
     * {@code opName} and counts failed attempts by cause ({@code connection}: a connection failure or timeout;
     * {@code refused}: the server answered with an error; {@code client}: another client-side failure).
     */
    private <T> T call(String opName, String what, Function<Jedis, T> op) {
        checkOpen();
        long t0 = System.nanoTime();
        boolean ok = false;
        try {
            JedisConnectionException last = null;
            for (int attempt = 0; attempt <= retries; attempt++) {
                if (attempt > 0) {
                    retried.increment();
                    pause(attempt);
                }
                try (Jedis j = pool.getResource()) {
                    T result = op.apply(j);
                    ok = true;
                    return result;
                } catch (JedisConnectionException e) {
                    last = e;
                    error("connection");
                    LOG.debug("{} on {} failed (attempt {} of {}): {}", what, server, attempt + 1, retries + 1, e.toString());
                } catch (JedisDataException e) {
                    error("refused");
                    throw new NonRetriableException(what + " on " + server + " was refused by the server: " + e.getMessage()
                            + ". Fix: check the server's configuration (memory limit, read-only replica, ACL)", e);
                } catch (JedisException e) {
                    error("client");
                    throw new NonRetriableException(what + " on " + server + " failed: " + e.getMessage(), e);
                }
            }
            throw new ResourceUnavailableException(server, what + " failed after " + (retries + 1) + " attempts: "
                    + (last.getCause() != null ? last.getCause().toString() : last.getMessage()), last);
        } finally {
            timer(opName, ok ? "ok" : "error").record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    private void pause(int attempt) {
        long millis = backoffMillis << Math.min(attempt - 1, 10);
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceUnavailableException(server, "interrupted while waiting to retry", e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the Redis online store for " + server + " is closed");
        }
    }

    private byte[] sha(Jedis j, boolean reload) {
        byte[] s = scriptSha;
        if (s == null || reload) {
            s = j.scriptLoad(WRITE_SCRIPT);
            scriptSha = s;
        }
        return s;
    }

    @Override
    public void write(String view, List<OnlineRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Long ttl = expiryMillis.get(view);
        for (int from = 0; from < records.size(); from += BATCH) {
            List<OnlineRecord> chunk = records.subList(from, Math.min(records.size(), from + BATCH));
            call("write", "writing " + chunk.size() + " records of view '" + view + "'", j -> {
                try {
                    writeChunk(j, sha(j, false), view, chunk, ttl);
                } catch (JedisNoScriptException e) {
                    // the server restarted and lost its script cache: load it again and redo (writes are idempotent)
                    writeChunk(j, sha(j, true), view, chunk, ttl);
                }
                return null;
            });
        }
    }

    private void writeChunk(Jedis j, byte[] sha, String view, List<OnlineRecord> chunk, Long ttl) {
        List<Response<Object>> responses = new ArrayList<>(chunk.size());
        try (Pipeline p = j.pipelined()) {
            for (OnlineRecord r : chunk) {
                byte[] expireAt = bytes(ttl == null ? "0" : Long.toString(Math.max(1, Math.floorDiv(r.eventMicros(), 1000) + ttl)));
                responses.add(p.evalsha(sha, 1, recordKey(view, r.key()), encode(r), expireAt));
            }
            p.sync();
        }
        for (Response<Object> resp : responses) {
            resp.get(); // throws the server's error, if any
        }
    }

    @Override
    public OnlineRecord read(String view, String key) {
        byte[] v = call("read", "reading key '" + key + "' of view '" + view + "'", j -> j.get(recordKey(view, key)));
        return v == null ? null : decode(view, key, v);
    }

    @Override
    public List<OnlineRecord> readAll(String view, List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        byte[][] ks = new byte[keys.size()][];
        for (int i = 0; i < ks.length; i++) {
            ks[i] = recordKey(view, keys.get(i));
        }
        List<byte[]> values = call("read_all", "reading " + keys.size() + " keys of view '" + view + "'", j -> j.mget(ks));
        List<OnlineRecord> out = new ArrayList<>(keys.size());
        for (int i = 0; i < ks.length; i++) {
            byte[] v = values.get(i);
            out.add(v == null ? null : decode(view, keys.get(i), v));
        }
        return out;
    }

    @Override
    public OptionalLong watermark(String view) {
        String v = call("watermark", "reading the watermark of view '" + view + "'", j -> j.hget(namespace + ":watermarks", view));
        return v == null ? OptionalLong.empty() : OptionalLong.of(parseWatermark(view, v));
    }

    private long parseWatermark(String view, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new NonRetriableException("the watermark of view '" + view + "' in " + server + " (" + namespace
                    + ":watermarks) is '" + v + "', not epoch microseconds. Fix: delete that hash field and run"
                    + " materialize(start, end) for the view again", e);
        }
    }

    @Override
    public void setWatermark(String view, long epochMicros) {
        call("set_watermark", "setting the watermark of view '" + view + "'", j -> j.hset(watermarkKey, bytes(view), bytes(Long.toString(epochMicros))));
    }

    @Override
    public Map<String, Long> watermarks() {
        Map<String, String> all = call("watermarks", "reading the watermarks", j -> j.hgetAll(namespace + ":watermarks"));
        Map<String, Long> out = new TreeMap<>();
        all.forEach((view, v) -> out.put(view, parseWatermark(view, v)));
        return out;
    }

    @Override
    public long size(String view) {
        String match = escapeGlob(namespace + ":r:" + view + ":") + "*";
        return call("size", "counting the keys of view '" + view + "'", j -> {
            long n = 0;
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams params = new ScanParams().match(match).count(1000);
            do {
                ScanResult<String> page = j.scan(cursor, params);
                n += page.getResult().size();
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return n;
        });
    }

    private static String escapeGlob(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.close();
            // the gauges would otherwise keep the closed pool reachable from a long-lived registry
            for (String g : List.of("active", "idle", "waiters", "max")) {
                Gauge gauge = meters.find("mlops.features.redis.pool." + g).tags(tags).gauge();
                if (gauge != null) {
                    meters.remove(gauge);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "RedisOnlineStore[" + server + ", namespace " + namespace + "]";
    }
}
