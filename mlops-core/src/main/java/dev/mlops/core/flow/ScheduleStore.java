package dev.mlops.core.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of every schedule of an engine, in {@code <home>/schedules.json}: for each schedule id, the flow,
 * the schedule's description, its anchor (when it was first created) and the last tick it handled. Rewritten
 * whole on every change: a temporary file in the same directory, fsynced, renamed atomically.
 *
 * <p>Format: {@code {"format": 1, "schedules": [{"id", "flow", "schedule", "anchor", "lastHandled"}]}} with
 * ISO-8601 instants.
 */
final class ScheduleStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    /** One schedule's persisted state. */
    record State(String id, String flow, String schedule, Instant anchor, Instant lastHandled) {
    }

    private final Path file;
    private final Map<String, State> states = new LinkedHashMap<>();

    ScheduleStore(Path home) {
        this.file = home.resolve("schedules.json");
        byte[] bytes;
        try {
            Files.deleteIfExists(home.resolve("schedules.json.tmp"));
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException none) {
            return;
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "cannot read the schedules (" + e + ")", e);
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.path("format").isInt()) {
                throw new IllegalArgumentException("no \"format\" number");
            }
            if (root.get("format").asInt() != FORMAT) {
                throw new StoreCorruptedException(file, "schedule format " + root.get("format").asInt() + " is not "
                        + FORMAT + ", the only one this release reads", "open it with the release that wrote it");
            }
            int i = 0;
            for (JsonNode n : root.path("schedules")) {
                State s = new State(text(n, "id", i), text(n, "flow", i), text(n, "schedule", i),
                        Instant.parse(text(n, "anchor", i)), Instant.parse(text(n, "lastHandled", i)));
                states.put(s.id(), s);
                i++;
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof StoreCorruptedException sce) {
                throw sce;
            }
            throw new StoreCorruptedException(file, "it is not a valid schedules file (" + e.getMessage() + ")",
                    "move it aside: schedules start afresh when the host schedules them again", e);
        }
    }

    private static String text(JsonNode n, String field, int index) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("schedule " + index + " has no text field \"" + field + "\"");
        }
        return v.asText();
    }

    synchronized State get(String id) {
        return states.get(id);
    }

    /** Records a schedule's state durably; throws if it cannot be written. */
    synchronized void put(State s) {
        State previous = states.put(s.id(), s);
        try {
            save();
        } catch (IOException e) {
            if (previous == null) {
                states.remove(s.id());
            } else {
                states.put(s.id(), previous);
            }
            throw new ResourceUnavailableException(file.toString(), "writing the schedules failed (" + e + ")", e);
        }
    }

    synchronized void remove(String id) {
        State previous = states.remove(id);
        if (previous == null) {
            return;
        }
        try {
            save();
        } catch (IOException e) {
            states.put(id, previous);
            throw new ResourceUnavailableException(file.toString(), "writing the schedules failed (" + e + ")", e);
        }
    }

    private void save() throws IOException {
        ObjectNode root = JSON.createObjectNode().put("format", FORMAT);
        ArrayNode list = root.putArray("schedules");
        for (State s : states.values()) {
            list.addObject().put("id", s.id()).put("flow", s.flow()).put("schedule", s.schedule())
                    .put("anchor", s.anchor().toString()).put("lastHandled", s.lastHandled().toString());
        }
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        Path tmp = file.resolveSibling("schedules.json.tmp");
        try {
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    c.write(b);
                }
                c.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }
}
