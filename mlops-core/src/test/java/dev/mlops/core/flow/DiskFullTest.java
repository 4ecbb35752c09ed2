package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.mlops.core.ResourceUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the engine's home lives on a 1 MiB tmpfs, and a filler file takes every free page, so
 * writes fail with the kernel's own ENOSPC ("No space left on device") exactly where a production disk would.
 *
 * <p>Why tmpfs: a failing serializer or a mocked channel only tests the code path we thought of; a real file
 * system also produces short writes before ENOSPC (a partial record on disk), which is what the rollback in
 * the cache pack and the journal must undo. {@code mount -t tmpfs} needs root (CAP_SYS_ADMIN); the CI runs as
 * root on the same kind of machine. Where mounting is impossible the test FAILS with the command to run, it
 * is never skipped. (An {@code ulimit -f} child JVM was the alternative, but it yields EFBIG, not ENOSPC, and
 * no short write at a page boundary.)
 */
class DiskFullTest {

    @TempDir
    Path tmp;

    private Path mount;
    private Path home;
    private Path filler;
    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        mount = Files.createDirectory(tmp.resolve("small"));
        String out = exec("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString());
        if (out != null) {
            fail("DiskFullTest needs a 1 MiB tmpfs: `mount -t tmpfs -o size=1m tmpfs " + mount + "` failed (" + out
                    + "). Run the tests as root (as CI does) or in a container with CAP_SYS_ADMIN");
        }
        home = mount.resolve("home");
        filler = mount.resolve("filler");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            String out = exec("umount", mount.toString());
            if (out != null) {
                exec("umount", "-l", mount.toString()); // detach it anyway, so no mount outlives the test
            }
            assertThat(out).as("umount " + mount + " (busy: a file of the engine is still open or mapped)").isNull();
        }
    }

    /** Null on success, else the command's output and exit code. */
    private static String exec(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notFound) {
            return "cannot run " + command[0] + ": " + notFound.getMessage();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output;
    }

    /** Writes zeros until the file system refuses; returns the bytes written. */
    private long fillDisk() throws IOException {
        long written = 0;
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException full) {
            assertThat(full).hasMessageContaining("No space left on device");
        }
        return written;
    }

    private Flow<String> bigCachedFlow() {
        Flow.Builder b = Flow.builder("big");
        TaskHandle<String> big = b.task("big").cache(CachePolicy.of(Serializers.string())).run(() -> {
            calls.incrementAndGet();
            return "z".repeat(100_000);
        });
        return b.build(big);
    }

    @Test
    void cacheAppendOnAFullDisk_leavesTheTaskCompleted_noPartialRecord_andTheStoreReopens() throws Exception {
        Path pack = home.resolve("cache").resolve(CacheStore.PACK);
        String runId;
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            long packBefore = Files.size(pack);
            fillDisk();
            // free 16 KiB: room for history records, not for the 100 KB entry, so the append is cut short by ENOSPC
            try (var ch = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() - 16 * 1024);
            }
            FlowResult<String> r = engine.run(bigCachedFlow());
            runId = r.runId();
            assertThat(r.state()).isEqualTo(FlowState.COMPLETED);
            assertThat(r.get()).hasSize(100_000);
            assertThat(r.task("big").state()).isEqualTo(TaskState.COMPLETED);
            assertThat(r.task("big").cacheNote()).contains("result not persisted to the cache")
                    .contains("No space left on device");
            assertThat(Files.size(pack)).as("the partial record was cut off").isEqualTo(packBefore);
            Files.delete(filler);
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).memoryCacheEntries(0).build()) {
            assertThat(engine.history().run(runId).orElseThrow().state()).isEqualTo(FlowState.COMPLETED);
            FlowResult<String> again = engine.run(bigCachedFlow());
            assertThat(again.task("big").state()).isEqualTo(TaskState.COMPLETED); // was never persisted
            assertThat(again.task("big").cacheNote()).isNull();
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).memoryCacheEntries(0).build()) {
            FlowResult<String> cached = engine.run(bigCachedFlow());
            assertThat(cached.task("big").state()).isEqualTo(TaskState.CACHED);
            assertThat(cached.get()).isEqualTo("z".repeat(100_000));
        }
        assertThat(calls).hasValue(2);
    }

    /** A flow whose first task fills the disk and whose second fails with a ~4 KB message (a new page). */
    private Flow<Void> fillThenFail() {
        Flow.Builder b = Flow.builder("fill");
        TaskHandle<Long> fill = b.task("fill").run(this::fillDisk);
        b.task("boom").run(fill, n -> {
            throw new IllegalStateException("e".repeat(3900));
        });
        return b.build();
    }

    @Test
    void historyWritesOnAFullDisk_stayBuffered_refuseNewRuns_andLandOnceThereIsRoom() throws Exception {
        String runId;
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Void> r = engine.run(fillThenFail());
            runId = r.runId();
            // the result is whole even though its end record could not be written
            assertThat(r.state()).isEqualTo(FlowState.FAILED);
            assertThat(r.failedTask()).hasValue("boom");
            assertThat(engine.history().run(runId).orElseThrow().state()).isEqualTo(FlowState.FAILED);
            // a new run cannot record its start, so it is refused before any task runs
            Flow.Builder b = Flow.builder("refused");
            b.task("t").run(() -> calls.incrementAndGet());
            assertThatThrownBy(() -> engine.submit(b.build(), FlowParams.of()))
                    .isInstanceOf(ResourceUnavailableException.class)
                    .hasMessageContaining("history.journal").hasMessageContaining("No space left on device");
            assertThat(calls).hasValue(0);
            Files.delete(filler); // room again: close writes what was buffered
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowRunRecord run = engine.history().run(runId).orElseThrow();
            assertThat(run.state()).isEqualTo(FlowState.FAILED);
            assertThat(run.error()).contains("task 'boom'");
            assertThat(run.tasks()).extracting(TaskRunRecord::task, TaskRunRecord::state).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("fill", TaskState.COMPLETED),
                    org.assertj.core.groups.Tuple.tuple("boom", TaskState.FAILED));
            assertThat(engine.history().lastRuns("refused", 5)).isEmpty();
        }
    }

    @Test
    void moreTaskRecordsThanTheBufferHolds_onAFullDisk_areDroppedAndCounted_andTheHistoryStaysWhole()
            throws Exception {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        Flow.Builder b = Flow.builder("loud");
        for (int i = 0; i < 60; i++) { // 60 records of ~4 KB: more than the 128 KiB buffer
            b.task("t" + i).run(() -> {
                throw new dev.mlops.core.NonRetriableException("x".repeat(3900));
            });
        }
        Flow<Void> loud = b.build();
        String runId;
        try (FlowEngine engine = FlowEngine.builder().home(home).meterRegistry(registry).build()) {
            fillDisk(); // the journal's last page still has room for the small start record
            FlowResult<Void> r = engine.run(loud);
            runId = r.runId();
            assertThat(r.state()).isEqualTo(FlowState.FAILED);
            assertThat(r.tasks()).hasSize(60).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.FAILED));
            assertThat(registry.get("mlops.flow.history.dropped").gauge().value()).isPositive();
            Files.delete(filler);
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowRunRecord run = engine.history().run(runId).orElseThrow(); // reopens: only whole records
            assertThat(run.tasks().size()).isLessThan(60);
            engine.run(bigCachedFlow());
        }
    }

    @Test
    void historyOnADiskThatStaysFull_isCutBackToWholeRecords_andReopensWithTheRunCrashed() throws Exception {
        String runId;
        Path journal = home.resolve("history.journal");
        long startRecorded;
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowExecution<Void> execution = engine.submit(fillThenFail(), FlowParams.of());
            runId = execution.runId();
            assertThat(execution.await().state()).isEqualTo(FlowState.FAILED);
            startRecorded = Files.size(journal);
        } // close: the final flush fails, the journal is cut back to its last whole record
        assertThat(Files.size(journal)).isEqualTo(startRecorded);
        Files.delete(filler);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowRunRecord run = engine.history().run(runId).orElseThrow();
            assertThat(run.state()).isEqualTo(FlowState.CRASHED);
            assertThat(run.flow()).isEqualTo("fill");
            engine.run(bigCachedFlow()); // the reopened store takes new runs and entries
            assertThat(engine.history().lastRuns("big", 1)).singleElement()
                    .satisfies(x -> assertThat(x.state()).isEqualTo(FlowState.COMPLETED));
        }
    }
}
