package dev.mlops.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.core.http.BearerToken;
import dev.mlops.dashboard.Dashboard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Dashboard} on {@code com.sun.net.httpserver}. */
public final class DashboardServer implements Dashboard {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    /** The name of the HttpOnly cookie that carries the token after the first visit. */
    public static final String COOKIE = "mlops_dashboard_token";

    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final Sources sources;
    private final HttpServer http;
    private final BearerToken token;
    private final MeterRegistry meters;
    private final ExecutorService ownedExecutor;
    private volatile boolean closed;

    private DashboardServer(Sources sources, HttpServer http, BearerToken token, MeterRegistry meters,
                            ExecutorService ownedExecutor) {
        this.sources = sources;
        this.http = http;
        this.token = token;
        this.meters = meters;
        this.ownedExecutor = ownedExecutor;
    }

    /** Use {@link Dashboard#builder()}. */
    public static Dashboard start(Sources sources, InetSocketAddress address, BearerToken token, Executor executor,
                                  MeterRegistry meters) {
        HttpServer http;
        try {
            http = HttpServer.create(address, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the dashboard to " + address + ": " + e.getMessage()
                    + ". Fix: choose a free port (0 for an ephemeral one)", e);
        }
        ExecutorService owned = null;
        if (executor == null) {
            AtomicInteger n = new AtomicInteger();
            owned = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "mlops-dashboard-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            executor = owned;
        }
        DashboardServer server = new DashboardServer(sources, http, token, meters, owned);
        http.setExecutor(executor);
        http.createContext("/", server::handle);
        http.start();
        if (token == null) {
            LOG.warn("*** DASHBOARD WITHOUT AUTHENTICATION on {} ***: anyone who can reach this address can read "
                    + "it. Bound to loopback only; set a bearer token before exposing it.", http.getAddress());
        } else {
            LOG.info("dashboard listening on {}", server.baseUri());
        }
        return server;
    }

    @Override
    public URI uri() {
        return token == null ? baseUri()
                : URI.create(baseUri() + "?token=" + URLEncoder.encode(token.secret(), StandardCharsets.UTF_8));
    }

    @Override
    public URI baseUri() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    @Override
    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.stop(1);
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String page = Pages.PAGES.containsKey(path) ? path : "other";
            int status;
            try {
                status = serve(exchange, path);
            } catch (RuntimeException e) {
                LOG.error("dashboard: {} {} failed", exchange.getRequestMethod(), path, e);
                status = 500;
                send(exchange, 500, Pages.error(500, "Internal error", "the page " + path + " failed ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + "); details are in the server log"));
            }
            Counter.builder("mlops.dashboard.requests").tags("page", page, "status", Integer.toString(status))
                    .register(meters).increment();
        }
    }

    private int serve(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            return send(exchange, 405, Pages.error(405, "Method not allowed", method + " is not supported; the "
                    + "dashboard is read-only (GET, HEAD)"));
        }
        if (token != null) {
            String query = queryToken(exchange.getRequestURI().getRawQuery());
            if (query != null) {
                if (!token.matches(query)) {
                    return unauthorized(exchange, "the token in the URL is wrong. Fix: open the URL the dashboard "
                            + "printed at start");
                }
                exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8) + "; Path=/; HttpOnly; SameSite=Strict");
                exchange.getResponseHeaders().set("Location", path);
                return send(exchange, 303, Pages.error(303, "See other", "signed in; continue to " + path));
            }
            String presented = BearerToken.fromAuthorizationHeader(exchange.getRequestHeaders()
                    .getFirst("Authorization"));
            if (presented == null) {
                presented = cookie(exchange.getRequestHeaders().get("Cookie"));
            }
            if (presented == null) {
                return unauthorized(exchange, "this dashboard needs its token. Fix: open the URL it printed at start "
                        + "(it ends in ?token=...), or send 'Authorization: Bearer <token>'");
            }
            if (!token.matches(presented)) {
                return unauthorized(exchange, "the token is wrong. Fix: open the URL the dashboard printed at "
                        + "start");
            }
        }
        if (!Pages.PAGES.containsKey(path)) {
            return send(exchange, 404, Pages.error(404, "Not found", "no page at " + path + "; the pages are "
                    + String.join(", ", Pages.PAGES.keySet())));
        }
        return send(exchange, 200, Pages.render(path, sources));
    }

    private int unauthorized(HttpExchange exchange, String message) throws IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        return send(exchange, 401, Pages.error(401, "Unauthorized", message));
    }

    /** The value of the first {@code token} query parameter, URL-decoded, or null. */
    static String queryToken(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String part : rawQuery.split("&")) {
            if (part.startsWith("token=")) {
                try {
                    return URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return part.substring(6);
                }
            }
        }
        return null;
    }

    /** The dashboard cookie's value among the Cookie headers, or null. */
    static String cookie(List<String> headers) {
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    try {
                        return URLDecoder.decode(p.substring(COOKIE.length() + 1), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        return p.substring(COOKIE.length() + 1);
                    }
                }
            }
        }
        return null;
    }

    private static int send(HttpExchange exchange, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", "text/html; charset=utf-8");
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        return status;
    }
}
