package dev.mlops.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import dev.mlops.core.io.AtomicFiles;
import dev.mlops.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feedback on answers in an append-only journal: one JSON object per line,
 * {@code {"answer_id":"…","rating":"up"|"down","comment":"…","at":"<ISO-8601 instant>"}}, UTF-8.
 *
 * <p>Durability: {@link #record} returns after the line is written and the file forced to disk
 * ({@code FileChannel.force}); a new journal file's directory entry is forced too. A process killed
 * mid-write can leave at most a partial last line (no newline): opening the store truncates it away
 * (logged) and {@link #read} ignores it. A complete line that is not a valid record is corruption:
 * {@link StoreCorruptedException} naming the line, and nothing is read. One writer per file (an OS file
 * lock; a second store on the same file fails fast). Thread-safe.
 */
public final class FeedbackStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackStore.class);
    private static final ObjectMapper JSON = Json.newMapper();

    private final Path file;
    private final Clock clock;
    private final FileChannel channel;
    private final FileLock lock;
    private final List<Feedback> records;

    private FeedbackStore(Path file, Clock clock) throws IOException {
        this.file = file;
        this.clock = clock;
        boolean created = !Files.exists(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                throw new IllegalStateException("feedback journal " + file + " is open for writing by another process. "
                        + "Fix: use one FeedbackStore per file, or FeedbackStore.read(path) to only read");
            }
            this.lock = l;
            if (created) {
                AtomicFiles.syncDirectory(file.toAbsolutePath().getParent());
            }
            byte[] bytes = Files.readAllBytes(file);
            int end = complete(bytes);
            this.records = parse(file, bytes, end);
            if (end < bytes.length) {
                LOG.warn("feedback journal {}: dropping a partial last line of {} bytes (an interrupted write)", file,
                        bytes.length - end);
                ch.truncate(end);
                ch.force(true);
            }
            ch.position(end);
            this.channel = ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Opens (creating if absent) the journal for appending, timestamps from the system clock. */
    public static FeedbackStore open(Path file) {
        return open(file, Clock.systemUTC());
    }

    /** Opens (creating if absent) the journal for appending, timestamps from {@code clock}. */
    public static FeedbackStore open(Path file, Clock clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        try {
            return new FeedbackStore(file, clock);
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "cannot open the feedback journal: " + e, e);
        }
    }

    /** Reads a journal without opening it for writing (a partial last line is ignored). */
    public static List<Feedback> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "cannot read the feedback journal: " + e, e);
        }
        return List.copyOf(parse(file, bytes, complete(bytes)));
    }

    /**
     * Appends feedback on an answer and forces it to disk.
     *
     * @param answerId {@link Answer#id()}, not blank
     * @param comment  free text, null or "" for none
     * @throws IllegalArgumentException for a blank answer id; nothing is written then
     */
    public Feedback record(String answerId, Feedback.Rating rating, String comment) {
        if (answerId == null || answerId.isBlank()) {
            throw new IllegalArgumentException("answerId must not be blank, was '" + answerId + "'");
        }
        Objects.requireNonNull(rating, "rating");
        Feedback f = new Feedback(answerId, rating, comment == null ? "" : comment, clock.instant());
        ObjectNode n = JSON.createObjectNode();
        n.put("answer_id", f.answerId());
        n.put("rating", f.rating() == Feedback.Rating.UP ? "up" : "down");
        n.put("comment", f.comment());
        n.put("at", f.at().toString());
        byte[] line;
        try {
            line = (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (this) {
            if (!channel.isOpen()) {
                throw new IllegalStateException("feedback store " + file + " is closed");
            }
            try {
                long start = channel.position();
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
                channel.force(false);
                records.add(f);
                LOG.debug("feedback at offset {} in {}", start, file);
            } catch (IOException e) {
                throw new ResourceUnavailableException(file.toString(), "cannot append feedback: " + e, e);
            }
        }
        return f;
    }

    /** All feedback recorded in this journal, in order. */
    public synchronized List<Feedback> all() {
        return List.copyOf(records);
    }

    /** The feedback on one answer, in order. */
    public synchronized List<Feedback> forAnswer(String answerId) {
        return records.stream().filter(f -> f.answerId().equals(answerId)).toList();
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            if (channel.isOpen()) {
                lock.release();
                channel.close();
            }
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "cannot close the feedback journal: " + e, e);
        }
    }

    /** Length of the prefix that ends with a newline. */
    private static int complete(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        return end;
    }

    private static List<Feedback> parse(Path file, byte[] bytes, int end) {
        List<Feedback> out = new ArrayList<>();
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                String id = n.path("answer_id").asText("");
                String r = n.path("rating").asText("");
                if (id.isBlank() || !(r.equals("up") || r.equals("down")) || !n.path("comment").isTextual()
                        || !n.path("at").isTextual()) {
                    throw new IllegalArgumentException("needs answer_id, rating up|down, comment, at");
                }
                out.add(new Feedback(id, r.equals("up") ? Feedback.Rating.UP : Feedback.Rating.DOWN,
                        n.path("comment").asText(), Instant.parse(n.path("at").asText())));
            } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
                throw new StoreCorruptedException(file, "line " + lineNo + " is not a feedback record ("
                        + e.getMessage().lines().findFirst().orElse("") + "): '"
                        + (line.length() > 120 ? line.substring(0, 120) + "..." : line) + "'",
                        "restore the file from a backup, or remove the line", e);
            }
        }
        return out;
    }
}
