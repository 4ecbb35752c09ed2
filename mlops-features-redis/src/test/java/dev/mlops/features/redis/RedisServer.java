package dev.mlops.features.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

/**
 * A JUnit extension that runs Debian's {@code redis-server} for a test class: on 127.0.0.1, on a free
 * non-default port, with its data in a temporary folder, without persistence unless {@link #aof()} asks
 * for {@code appendonly yes} + {@code appendfsync always}. Tests may {@link #kill()}, {@link #stop()} and
 * {@link #start()} it again on the same port and data.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

    private final boolean aof;
    private final int port;
    private Path dir;
    private Process process;

    private RedisServer(boolean aof) {
        this.aof = aof;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }

    /** No persistence: {@code --save '' --appendonly no}. */
    public static RedisServer ephemeral() {
        return new RedisServer(false);
    }

    /** Append-only file fsynced on every write. */
    public static RedisServer aof() {
        return new RedisServer(true);
    }

    public int port() {
        return port;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("redis-test");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String binary() {
        for (String d : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            if (Files.isExecutable(Path.of(d, "redis-server"))) {
                return d + "/redis-server";
            }
        }
        throw new IllegalStateException("redis-server is not installed: these tests start a real Redis server. "
                + "Fix: apt-get install redis-server (Debian/Ubuntu; .ci/run does it), then run the tests again");
    }

    /** Starts the server and waits until it answers PING. */
    public synchronized void start() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--protected-mode", "yes", "--daemonize", "no", "--dir", dir.toString(), "--save", "",
                "--logfile", dir.resolve("redis.log").toString()));
        if (aof) {
            cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            cmd.addAll(List.of("--appendonly", "no"));
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Jedis j = new Jedis("127.0.0.1", port, 1000)) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (Exception e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + dir.resolve("redis.log"), e);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("redis-server did not answer on port " + port + " within 20 s", e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Stops the server cleanly (SIGTERM: Redis finishes its append-only file) and waits for it. */
    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Kills the server (SIGKILL): nothing gets flushed that was not already. */
    public synchronized void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** A raw client for checks that go around the store. */
    public Jedis client() {
        return new Jedis("127.0.0.1", port, 2000);
    }
}
