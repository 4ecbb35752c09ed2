package dev.mlops.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RollingFilePredictionLogTest extends PredictionLogContract {

    @TempDir
    Path dir;

    /** Small segments, so that the contract's 20,000 records roll across many files. */
    @Override
    protected PredictionLog newLog() {
        return PredictionLog.rollingFilesBuilder(dir.resolve("contract")).maxFileBytes(64 << 10).build();
    }

    private static PredictionRecord rec(String model, Instant t, String id) {
        return new PredictionRecord(model, "1", t, id, Map.of("x", 1.0), 0.5, 10);
    }

    private static List<Path> segmentFiles(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    private static Path idx(Path segment) {
        return segment.resolveSibling(segment.getFileName().toString().replace(".log", ".idx"));
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, offset);
        }
    }

    /** Every value type, and the awkward values (NaN, -0.0, nanoseconds, non-ASCII), survive a reopen. */
    @Test
    void records_roundTripExactly_throughCloseAndReopen() {
        Path d = dir.resolve("types");
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("d", -0.0);
        inputs.put("nan", Double.NaN);
        inputs.put("inf", Double.NEGATIVE_INFINITY);
        inputs.put("l", Long.MIN_VALUE);
        inputs.put("b", true);
        inputs.put("s", "Grüße, 世界 \n\"quoted\"");
        inputs.put("empty", "");
        inputs.put("t", Instant.parse("1969-12-31T23:59:59.999999999Z"));
        inputs.put("null", null);
        List<PredictionRecord> records = List.of(
                new PredictionRecord("m", "7", T0.plusNanos(1), null, inputs, new double[] {0.25, Double.NaN, -0.0}, 0),
                new PredictionRecord("m", "8", T0, "req-2", Map.of(), null, Long.MAX_VALUE),
                new PredictionRecord("m", "8", T0.plusSeconds(1), "req-3", Map.of("k", 3L), "label", 5),
                new PredictionRecord("m", "8", T0.plusSeconds(2), "req-4", Map.of(), false, 5),
                new PredictionRecord("m", "8", Instant.MIN, "min", Map.of(), Instant.MAX, 5));
        try (PredictionLog log = PredictionLog.rollingFiles(d)) {
            log.appendAll(records);
        }
        try (PredictionLog log = PredictionLog.rollingFiles(d)) {
            List<PredictionRecord> read = log.read("m", Instant.MIN, Instant.MAX);
            assertThat(read).containsExactly(records.get(4), records.get(1), records.get(0), records.get(2),
                    records.get(3));
            assertThat(read.get(2).inputs().keySet()).containsExactlyElementsOf(inputs.keySet());
            assertThat(Double.doubleToRawLongBits((Double) read.get(2).inputs().get("d")))
                    .isEqualTo(Double.doubleToRawLongBits(-0.0));
        }
    }

    /**
     * The segment bytes follow the format documented on {@link RollingPredictionLogBuilder}, decoded here by
     * hand with the JDK's {@link CRC32C} rather than through the log's own reader.
     */
    @Test
    void segmentFile_followsTheDocumentedFormat() throws IOException {
        Path d = dir.resolve("format");
        try (PredictionLog log = PredictionLog.rollingFiles(d)) {
            log.append(new PredictionRecord("ab", "7", Instant.ofEpochSecond(5, 6), null,
                    Map.of("x", 1.5), new double[] {0.5}, 9));
        }
        List<Path> files = segmentFiles(d);
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("predictions-000000000001.log");
        assertThat(idx(files.get(0))).exists();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(files.get(0)));
        byte[] magic = new byte[4];
        b.get(magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("MLPL");
        assertThat(b.getInt()).isEqualTo(1);
        int length = b.getInt();
        assertThat(b.getInt()).isEqualTo(~length);
        int crc = b.getInt();
        CRC32C expected = new CRC32C();
        expected.update(b.array(), b.position(), length);
        assertThat(crc).isEqualTo((int) expected.getValue());
        assertThat(b.remaining()).isEqualTo(length);
        // payload: timestamp, model, version, requestId (-1 = null), latency, inputs, output
        assertThat(b.getLong()).isEqualTo(5);
        assertThat(b.getInt()).isEqualTo(6);
        assertThat(b.getInt()).isEqualTo(2);
        assertThat((char) b.get()).isEqualTo('a');
        assertThat((char) b.get()).isEqualTo('b');
        assertThat(b.getInt()).isEqualTo(1);
        assertThat((char) b.get()).isEqualTo('7');
        assertThat(b.getInt()).isEqualTo(-1);
        assertThat(b.getLong()).isEqualTo(9);
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.getInt()).isEqualTo(1);
        assertThat((char) b.get()).isEqualTo('x');
        assertThat(b.get()).isEqualTo((byte) 1); // Double
        assertThat(b.getDouble()).isEqualTo(1.5);
        assertThat(b.get()).isEqualTo((byte) 6); // double[]
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.getDouble()).isEqualTo(0.5);
        assertThat(b.hasRemaining()).isFalse();
    }

    /**
     * Out-of-order timestamps spread over many small segments, two models: every window equals a brute-force
     * filter and stable sort of the appended list, before and after a reopen.
     */
    @Test
    void read_acrossManySegments_matchesABruteForceReference() {
        Path d = dir.resolve("windows");
        Random rnd = new Random(7);
        List<PredictionRecord> appended = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String model = rnd.nextInt(3) == 0 ? "fraud" : "churn";
            appended.add(rec(model, T0.plusMillis(rnd.nextInt(5_000)), "r" + i)); // many equal timestamps
        }
        List<Instant[]> windows = List.of(new Instant[] {Instant.MIN, Instant.MAX},
                new Instant[] {T0.plusMillis(1000), T0.plusMillis(1200)},
                new Instant[] {T0.plusMillis(4990), T0.plusMillis(6000)},
                new Instant[] {T0.minusSeconds(10), T0});
        try (PredictionLog log = PredictionLog.rollingFilesBuilder(d).maxFileBytes(1024).build()) {
            log.appendAll(appended);
            log.flush();
            assertThat(segmentFiles(d)).hasSizeGreaterThan(20);
            for (Instant[] w : windows) {
                for (String model : List.of("churn", "fraud")) {
                    assertThat(log.read(model, w[0], w[1])).containsExactlyElementsOf(reference(appended, model, w));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try (PredictionLog log = PredictionLog.rollingFilesBuilder(d).maxFileBytes(1024).build()) {
            for (Instant[] w : windows) {
                assertThat(log.read("churn", w[0], w[1])).containsExactlyElementsOf(reference(appended, "churn", w));
            }
        }
    }

    private static List<PredictionRecord> reference(List<PredictionRecord> all, String model, Instant[] w) {
        return all.stream()
                .filter(r -> r.model().equals(model) && !r.timestamp().isBefore(w[0]) && r.timestamp().isBefore(w[1]))
                .sorted(Comparator.comparing(PredictionRecord::timestamp)) // stable
                .toList();
    }

    /**
     * A damaged byte in a sealed segment is reported precisely when a read needs that segment; reads that
     * the segment's summary rules out (other times, other models) never open it and still succeed.
     */
    @Test
    void corruptByte_inASealedSegment_failsReadsThatNeedIt_only() throws IOException {
        Path d = dir.resolve("corrupt");
        try (PredictionLog log = PredictionLog.rollingFilesBuilder(d).maxFileBytes(1024).build()) {
            for (int i = 0; i < 200; i++) {
                log.append(rec("m", T0.plusSeconds(i), "r" + i)); // increasing: segments cover disjoint ranges
            }
        }
        Path first = segmentFiles(d).get(0);
        long offset = Files.size(first) / 2;
        flipByte(first, offset);
        try (PredictionLog log = PredictionLog.rollingFilesBuilder(d).maxFileBytes(1024).build()) {
            assertThat(ids(log.read("m", T0.plusSeconds(150), T0.plusSeconds(160))))
                    .containsExactly("r150", "r151", "r152", "r153", "r154", "r155", "r156", "r157", "r158", "r159");
            assertThat(log.read("other", Instant.MIN, Instant.MAX)).isEmpty();
            assertThatThrownBy(() -> log.read("m", T0, T0.plusSeconds(1)))
                    .isInstanceOf(StoreCorruptedException.class)
                    .hasMessageContaining(first.getFileName().toString())
                    .hasMessageContaining("byte offset")
                    .hasMessageContaining("Fix: move this segment file");
        }
    }

    /** A process killed mid-write leaves a cut-short last frame: reopening cuts it off and keeps the rest. */
    @Test
    void tornLastFrame_isCutOff_onReopen() throws IOException {
        Path d = dir.resolve("torn");
        List<PredictionRecord> appended = new ArrayList<>();
        try (PredictionLog log = PredictionLog.rollingFiles(d)) {
            for (int i = 0; i < 100; i++) {
                appended.add(rec("m", T0.plusSeconds(i), "r" + i));
            }
            log.appendAll(appended);
        }
        Path segment = segmentFiles(d).get(0);
        long size = Files.size(segment);
        Files.delete(idx(segment)); // as if the process died before sealing it
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);
        }
        try (PredictionLog log = PredictionLog.rollingFiles(d)) {
            assertThat(log.read("m", Instant.MIN, Instant.MAX)).containsExactlyElementsOf(appended.subList(0, 99));
            log.append(rec("m", T0.plusSeconds(500), "after"));
            log.flush();
            assertThat(ids(log.read("m", T0.plusSeconds(98), Instant.MAX))).containsExactly("r98", "after");
        }
        // the last frame, sized by the documented format: 12 header + 12 timestamp + (4+1) model + (4+1) version
        // + (4+3) "r99" + 8 latency + 4 count + (4+1) "x" + (1+8) Double input + (1+8) Double output = 76
        assertThat(Files.size(segment)).isEqualTo(size - 76);
    }

    /** A file extended with zeros that were never written (a power cut) is cut back as well. */
    @Test
    void zeroFilledTail_isCutOff_onReopen() throws IOException {
        Path d = dir.resolve("zeros");
        List<PredictionRecord> appended = new ArrayList<>();
        try (PredictionLog log = PredictionLog.rollingFiles(d)) {
            for (int i = 0; i < 50; i++) {
                appended.add(rec("m", T0.plusSeconds(i), "r" + i));
            }
            log.appendAll(appended);
        }
        Path segment = segmentFiles(d).get(0);
        Files.delete(idx(segment));
        Files.write(segment, new byte[4096], StandardOpenOption.APPEND);
        try (PredictionLog log = PredictionLog.rollingFiles(d)) {
            assertThat(log.read("m", Instant.MIN, Instant.MAX)).containsExactlyElementsOf(appended);
        }
    }

    /** Damage in the middle of a segment being recovered is not a torn write: opening fails precisely. */
    @Test
    void corruptByte_inASegmentBeingRecovered_failsBuild_withoutHoldingTheDirectory() throws IOException {
        Path d = dir.resolve("recover-corrupt");
        try (PredictionLog log = PredictionLog.rollingFiles(d)) {
            for (int i = 0; i < 50; i++) {
                log.append(rec("m", T0.plusSeconds(i), "r" + i));
            }
        }
        Path segment = segmentFiles(d).get(0);
        Files.delete(idx(segment));
        flipByte(segment, Files.size(segment) / 2);

        for (int attempt = 0; attempt < 2; attempt++) { // the failed build released the directory
            assertThatThrownBy(() -> PredictionLog.rollingFiles(d))
                    .isInstanceOf(StoreCorruptedException.class)
                    .hasMessageContaining(segment.getFileName().toString())
                    .hasMessageContaining("byte offset")
                    .satisfies(e -> assertThat(((StoreCorruptedException) e).problem())
                            .containsAnyOf("CRC32C mismatch", "length field"));
        }
        Files.move(segment, dir.resolve("quarantined.log")); // the documented fix
        try (PredictionLog log = PredictionLog.rollingFiles(d)) {
            assertThat(log.read("m", Instant.MIN, Instant.MAX)).isEmpty();
        }
    }

    @Test
    void close_writesWhatIsQueued_withoutAnExplicitFlush() {
        Path d = dir.resolve("close");
        try (PredictionLog log = PredictionLog.rollingFiles(d)) {
            for (int i = 0; i < 1000; i++) {
                log.append(rec("m", T0.plusSeconds(i), "r" + i));
            }
        }
        try (PredictionLog log = PredictionLog.rollingFiles(d)) {
            assertThat(log.read("m", Instant.MIN, Instant.MAX)).hasSize(1000);
            assertThat(log.dropped()).isZero();
        }
    }

    /** With the writer held back, a full queue drops (and counts) further appends instead of blocking. */
    @Test
    void fullQueue_dropsAndCounts_neverBlocks() {
        CountDownLatch gate = new CountDownLatch(1);
        ThreadFactory gated = r -> Thread.ofPlatform().daemon().unstarted(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r.run();
        });
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (PredictionLog log = PredictionLog.rollingFilesBuilder(dir.resolve("full")).queueCapacity(10)
                .threadFactory(gated).meterRegistry(meters).build()) {
            for (int i = 0; i < 25; i++) {
                log.append(rec("m", T0.plusSeconds(i), "r" + i));
            }
            assertThat(log.dropped()).isEqualTo(15);
            assertThat(meters.get("mlops.core.predictionlog.dropped").tag("reason", "queue_full").counter().count())
                    .isEqualTo(15.0);
            gate.countDown();
            log.flush();
            assertThat(ids(log.read("m", Instant.MIN, Instant.MAX)))
                    .containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
            assertThat(meters.get("mlops.core.predictionlog.written").counter().count()).isEqualTo(10.0);
        }
        assertThat(meters.find("mlops.core.predictionlog.written").counter()).isNull(); // removed by close
    }

    /**
     * A writer thread that is interrupted (which the builder forbids) stops: later flushes fail with a clear
     * error instead of hanging, records it never wrote are counted, and close still releases the directory.
     */
    @Test
    void interruptedWriter_stops_flushFails_closeReleasesTheDirectory() throws Exception {
        Path d = dir.resolve("interrupted");
        AtomicReference<Thread> writer = new AtomicReference<>();
        CountDownLatch gate = new CountDownLatch(1);
        ThreadFactory captured = r -> {
            Thread t = Thread.ofPlatform().daemon().unstarted(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the writer then sees the interrupt at once
                }
                r.run();
            });
            writer.set(t);
            return t;
        };
        PredictionLog log = PredictionLog.rollingFilesBuilder(d).threadFactory(captured).build();
        try {
            log.append(rec("m", T0, "a"));
            writer.get().interrupt();
            writer.get().join(10_000);
            assertThat(writer.get().isAlive()).isFalse();
            assertThat(log.dropped()).isEqualTo(1);
            assertThatThrownBy(log::flush).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("writer of the prediction log at").hasMessageContaining("stopped");
        } finally {
            log.close();
        }
        try (PredictionLog again = PredictionLog.rollingFiles(d)) {
            again.append(rec("m", T0, "b"));
            again.flush();
            assertThat(ids(again.read("m", Instant.MIN, Instant.MAX))).containsExactly("b");
        }
    }

    /** The segments never take more than maxTotalBytes; what retention deleted is counted as dropped. */
    @Test
    void retention_boundsDiskUse_andCountsDeletedRecords() throws IOException {
        Path d = dir.resolve("retention");
        int n = 2000;
        try (PredictionLog log = PredictionLog.rollingFilesBuilder(d).maxFileBytes(1024).maxTotalBytes(4096)
                .build()) {
            for (int i = 0; i < n; i++) {
                log.append(rec("m", T0.plusSeconds(i), "r" + i));
                if (i % 100 == 0) {
                    log.flush();
                    assertThat(totalBytes(d)).isLessThanOrEqualTo(4096);
                }
            }
            log.flush();
            assertThat(totalBytes(d)).isLessThanOrEqualTo(4096);
            List<PredictionRecord> kept = log.read("m", Instant.MIN, Instant.MAX);
            assertThat(kept).isNotEmpty();
            assertThat(kept.size() + log.dropped()).isEqualTo(n);
            List<String> expectedSuffix = new ArrayList<>();
            for (int i = n - kept.size(); i < n; i++) {
                expectedSuffix.add("r" + i);
            }
            assertThat(ids(kept)).containsExactlyElementsOf(expectedSuffix); // the oldest went first
        }
    }

    private static long totalBytes(Path d) throws IOException {
        long sum = 0;
        for (Path p : segmentFiles(d)) {
            sum += Files.size(p);
        }
        return sum;
    }

    /**
     * Eight threads append records that all share one timestamp while another flushes and reads: after the
     * final flush every record is there exactly once, and each thread's records are in its append order.
     */
    @Test
    void concurrentAppends_withFlushesAndReads_keepEveryRecord_inEachThreadsOrder() throws Exception {
        int threads = 8;
        int perThread = 2500;
        try (PredictionLog log = PredictionLog.rollingFilesBuilder(dir.resolve("hammer")).maxFileBytes(16 << 10)
                .build()) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    while (!done.get()) {
                        log.flush();
                        List<PredictionRecord> seen = log.read("m", T0, T0.plusSeconds(1));
                        assertThat(seen.size()).isLessThanOrEqualTo(threads * perThread);
                    }
                } catch (Throwable e) {
                    readerFailure.set(e);
                }
            });
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    for (int i = 0; i < perThread; i++) {
                        log.append(rec("m", T0, thread + "-" + i));
                    }
                }));
            }
            start.countDown();
            for (Thread w : writers) {
                w.join();
            }
            done.set(true);
            reader.join();
            assertThat(readerFailure.get()).isNull();
            log.flush();

            List<PredictionRecord> all = log.read("m", T0, T0.plusSeconds(1));
            assertThat(all).hasSize(threads * perThread);
            assertThat(log.dropped()).isZero();
            int[] next = new int[threads];
            for (PredictionRecord r : all) {
                String[] parts = r.requestId().split("-");
                int thread = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).isEqualTo(next[thread]++);
            }
        }
    }

    @Test
    void aSecondLog_onTheSameDirectory_inThisJvm_isRefused_untilTheFirstCloses() {
        Path d = dir.resolve("twice");
        PredictionLog first = PredictionLog.rollingFiles(d);
        try {
            assertThatThrownBy(() -> PredictionLog.rollingFiles(d.resolve("..").resolve("twice")))
                    .isInstanceOf(ResourceUnavailableException.class)
                    .hasMessageContaining("already has this directory open");
        } finally {
            first.close();
        }
        try (PredictionLog again = PredictionLog.rollingFiles(d)) {
            assertThat(again.read("m", Instant.MIN, Instant.MAX)).isEmpty();
        }
    }

    @Test
    void builder_rejectsBadOptions_withTheParameterAndValue() {
        RollingPredictionLogBuilder b = PredictionLog.rollingFilesBuilder(dir.resolve("options"));
        assertThatThrownBy(() -> b.maxFileBytes(100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxFileBytes must be >= 1024, but was 100");
        assertThatThrownBy(() -> b.maxTotalBytes(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("maxTotalBytes must be >= 1024, but was 0");
        assertThatThrownBy(() -> b.queueCapacity(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("queueCapacity must be >= 1, but was 0");
        assertThatThrownBy(() -> b.flushInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("flushInterval must be positive, but was PT0S");
        assertThatThrownBy(() -> b.maxFileBytes(8192).maxTotalBytes(4096).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("maxTotalBytes (4096) is smaller than maxFileBytes (8192)");
        assertThat(dir.resolve("options")).doesNotExist(); // a refused build leaves nothing behind
    }

    @Test
    void aDirectoryPathThatIsAFile_isRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> PredictionLog.rollingFiles(file))
                .isInstanceOf(ResourceUnavailableException.class)
                .hasMessageContaining(file.toString());
    }
}
