package dev.mlops.rag;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server on 127.0.0.1 that records the requests to one path and answers with queued
 * canned responses (status, body, optional delay); the last one repeats.
 */
final class FakeChatServer implements AutoCloseable {

    record Canned(int status, String body, long delayMillis) {}

    record Received(String method, String path, Map<String, List<String>> headers, String body) {}

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor;
    private final Deque<Canned> responses = new ArrayDeque<>();
    final List<Received> requests = new CopyOnWriteArrayList<>();

    FakeChatServer(String path) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            Canned c;
            synchronized (responses) {
                c = responses.size() > 1 ? responses.poll() : responses.peek();
            }
            if (c.delayMillis() > 0) {
                try {
                    Thread.sleep(c.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = c.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(c.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            } catch (IOException e) {
                // the client gave up (timeout test)
            }
        });
        executor = java.util.concurrent.Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.start();
    }

    FakeChatServer respond(int status, String body) {
        return respond(status, body, 0);
    }

    FakeChatServer respond(int status, String body, long delayMillis) {
        synchronized (responses) {
            responses.add(new Canned(status, body, delayMillis));
        }
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> bodies() {
        List<String> out = new ArrayList<>();
        requests.forEach(r -> out.add(r.body()));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
