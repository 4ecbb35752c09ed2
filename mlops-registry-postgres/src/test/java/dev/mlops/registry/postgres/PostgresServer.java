package dev.mlops.registry.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server from Debian's {@code postgresql} package for the tests: {@code initdb} into a temporary
 * folder, {@code pg_ctl start} on 127.0.0.1 with a free port and the unix socket in that folder, one fresh database
 * per {@link #newDatabase()}; stopped and deleted when the test JVM's root context closes. As root, the server
 * binaries run as the {@code postgres} user ({@code runuser}), which PostgreSQL requires.
 */
public final class PostgresServer implements BeforeAllCallback, ExtensionContext.Store.CloseableResource, AutoCloseable {

    private static PostgresServer instance;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean root;

    /** JUnit's constructor; the server itself is shared by every test class of the JVM. */
    public PostgresServer() {
        this.bin = null;
        this.dir = null;
        this.data = null;
        this.port = 0;
        this.root = false;
    }

    private PostgresServer(Path bin) throws IOException, InterruptedException {
        this.bin = bin;
        this.root = "root".equals(System.getProperty("user.name"));
        this.dir = Files.createTempDirectory("mlops-pg-");
        this.data = dir.resolve("data");
        if (root) {
            exec(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        exec(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "mlops", "--auth=trust",
                "--locale=C", "-E", "UTF8", "--no-sync"), true);
        start();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (PostgresServer.class) {
            if (instance == null) {
                instance = new PostgresServer(findBin());
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(PostgresServer.class.getName(),
                        instance);
            }
        }
    }

    /** The running server (after the extension ran). */
    public static PostgresServer get() {
        return instance;
    }

    private static Path findBin() {
        String env = System.getenv("PG_BIN");
        List<Path> candidates = new ArrayList<>();
        if (env != null) {
            candidates.add(Path.of(env));
        }
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                versions.sorted(Comparator.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin")));
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + lib, e);
            }
        }
        for (Path p : candidates) {
            if (Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl"))) {
                return p;
            }
        }
        throw new IllegalStateException("PostgreSQL server binaries (initdb, pg_ctl) not found under " + lib
                + " or $PG_BIN. The mlops-registry-postgres tests start a real server. Fix: apt-get install"
                + " postgresql (Debian/Ubuntu), or set PG_BIN to the folder holding initdb and pg_ctl");
    }

    /** Starts the (stopped) server and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        exec(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                        + " -c max_connections=100 -c shared_buffers=32MB", "start"), true);
    }

    /** Stops the server ({@code -m fast}: open connections are cut off). */
    public void stop() throws IOException, InterruptedException {
        exec(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), true);
    }

    /** A JDBC URL of a new empty database. */
    public String newDatabase() throws SQLException {
        String name = "t" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), "mlops", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    /** The JDBC URL of database {@code name}. */
    public String url(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=mlops";
    }

    private void exec(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres && root) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            String log = "";
            Path serverLog = dir.resolve("server.log");
            if (Files.exists(serverLog)) {
                log = "\nserver.log:\n" + Files.readString(serverLog);
            }
            throw new IllegalStateException("command " + cmd + " failed:\n" + new String(out) + log);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
