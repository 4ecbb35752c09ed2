package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.drift.internal.DefaultReferenceProfile;

import java.io.File;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL ({@link Process#destroyForcibly()}) while it saves reference profiles over one
 * file in a loop, many times at different instants, and checks after every kill that the file loads and is the
 * old profile or the new one, whole, never a torn mixture.
 */
class ProfileSaveCrashIT {

    static final int OLD_ROWS = 1_000;
    static final int NEW_ROWS = 400_000;

    @TempDir
    Path dir;

    /** Deterministic reference data of {@code rows} rows: both JVMs make the same table. */
    static Table table(int rows) {
        SplittableRandom r = new SplittableRandom(rows);
        double[] x = new double[rows];
        String[] c = new String[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = r.nextDouble() * 100;
            c[i] = "c" + r.nextInt(50);
        }
        return Table.of(DoubleColumn.of("x", x), StringColumn.of("c", c));
    }

    /**
     * The child: saves the new (exact, ~3 MB) profile over {@code args[0]} until killed, writing "saving i" and
     * "saved i" to the progress file {@code args[1]} (unbuffered, so a kill loses nothing written).
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        ReferenceProfile profile = ReferenceProfile.of(table(NEW_ROWS), List.of());
        try (FileOutputStream progress = new FileOutputStream(args[1], true)) {
            for (long i = 0; ; i++) {
                progress.write(("saving " + i + "\n").getBytes(StandardCharsets.UTF_8));
                profile.save(file);
                progress.write(("saved " + i + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void killedWhileSaving_leavesTheOldOrTheNewProfile() throws Exception {
        Path file = dir.resolve("reference.profile");
        DefaultReferenceProfile expectedOld = (DefaultReferenceProfile) ReferenceProfile.of(table(OLD_ROWS), List.of());
        DefaultReferenceProfile expectedNew = (DefaultReferenceProfile) ReferenceProfile.of(table(NEW_ROWS), List.of());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int rounds = 8;
        int killedMidSave = 0;
        int sawNew = 0;
        for (int round = 0; round < rounds; round++) {
            expectedOld.save(file); // start each round from the old profile
            Path progress = dir.resolve("progress-" + round + ".txt");
            Files.createFile(progress);
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ProfileSaveCrashIT.class.getName(), file.toString(), progress.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.size(progress) == 0) {
                assertThat(child.isAlive()).as("the child JVM is running (exit %s)", child.isAlive() ? "" : child.exitValue()).isTrue();
                assertThat(System.nanoTime()).as("the child JVM started saving within 60 s").isLessThan(deadline);
                Thread.sleep(5);
            }
            // let it get some saves in, then kill it at an instant that differs per round
            Thread.sleep(40L + 37L * round);
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> lines = Files.readAllLines(progress);
            Files.delete(progress);
            if (lines.get(lines.size() - 1).startsWith("saving")) {
                killedMidSave++;
            }

            DefaultReferenceProfile loaded = (DefaultReferenceProfile) ReferenceProfile.load(file);
            DefaultReferenceProfile expected = loaded.rows() == NEW_ROWS ? expectedNew : expectedOld;
            assertThat(loaded.rows()).as("round %d: rows of the profile on disk", round).isIn((long) OLD_ROWS, (long) NEW_ROWS);
            assertThat(loaded.column("x").sorted()).isEqualTo(expected.column("x").sorted());
            assertThat(loaded.column("c").counts()).isEqualTo(expected.column("c").counts());
            sawNew += loaded.rows() == NEW_ROWS ? 1 : 0;
            // a killed save may leave its temporary file; it never replaces the profile
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .allMatch(n -> n.equals("reference.profile") || n.startsWith("reference.profile") && n.endsWith(".tmp")
                                || n.startsWith("progress-"));
            }
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    if (p.toString().endsWith(".tmp")) {
                        Files.delete(p);
                    }
                }
            }
        }
        // the kills must have hit saves in progress for the test to mean anything
        assertThat(killedMidSave).as("rounds killed between 'saving' and 'saved'").isPositive();
        assertThat(sawNew).as("rounds in which a save had completed before the kill").isPositive();
        assertThat(new File(file.toString())).exists();
    }
}
