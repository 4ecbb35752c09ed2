package dev.mlops.registry.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NotFoundException;
import dev.mlops.registry.AliasChange;
import dev.mlops.registry.AuditEntry;
import dev.mlops.registry.AuditVerification;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.PromotionDecision;
import dev.mlops.registry.PromotionPolicy;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.Stage;
import dev.mlops.registry.VersionRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link RegistryStore} must do, checked at two levels: the store's own primitives and transactions,
 * and a whole {@link ModelRegistry} built on the store (with a {@link TrackingStore} of the same backend), including
 * two registries writing at once and a client JVM killed with SIGKILL in the middle of registering.
 *
 * <p>An implementation's test extends this class and supplies a {@link Backend} (a class with a public no-arg
 * constructor, since the killed-client test opens it in a child JVM) and a fresh backend per test.
 */
public abstract class RegistryStoreContract {

    /** Opens stores on a backend named by a spec string (a directory, a JDBC URL...). */
    public interface Backend {
        TrackingStore trackingStore(String spec);

        RegistryStore registryStore(String spec);
    }

    static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

    @TempDir
    protected Path dir;

    /** The backend under test. */
    protected abstract Backend backend();

    /** A new, empty backend (e.g. a new database); {@code dir} is a fresh temporary directory. */
    protected abstract String newSpec(Path dir);

    // ------------------------------------------------------------------------------------------ store level

    @Test
    void aWriteThatThrowsLeavesNothing() {
        try (RegistryStore store = backend().registryStore(newSpec(dir))) {
            assertThatThrownBy(() -> store.write(tx -> {
                tx.insertModel(new RegistryStore.ModelRow("m", "", T0));
                tx.appendAudit(new AuditEntry(1, T0, "p", "create_model", "models:/m", "{}", "", "0", "h"));
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThat(store.read(RegistryStore.Tx::modelNames)).isEmpty();
            assertThat(store.read(RegistryStore.Tx::auditLog)).isEmpty();
            assertThat(store.read(RegistryStore.Tx::auditHead)).isEmpty();
        }
    }

    @Test
    void primitivesRoundTrip() {
        try (RegistryStore store = backend().registryStore(newSpec(dir))) {
            store.write(tx -> {
                assertThat(tx.insertModel(new RegistryStore.ModelRow("b", "first", T0))).isTrue();
                assertThat(tx.insertModel(new RegistryStore.ModelRow("b", "second", T0.plusSeconds(1)))).isFalse();
                assertThat(tx.insertModel(new RegistryStore.ModelRow("a", "", T0))).isTrue();
                for (int v = 1; v <= 3; v++) {
                    tx.insertVersion(new RegistryStore.VersionRow("b", v, "run" + v, "model", "tribuo",
                            v == 1 ? null : "{\"s\":1}", "[]", "", T0.plusMillis(v), false, "[]"));
                }
                tx.putTag("b", 0, "team", "x");
                tx.putTag("b", 0, "team", "y");
                tx.putTag("b", 2, "k", "v");
                tx.putAlias("b", "champion", 1);
                tx.putAlias("b", "champion", 2);
                tx.appendAliasChange(new AliasChange("b", "champion", null, 1, T0, "p", ""));
                tx.appendAliasChange(new AliasChange("b", "champion", 1, 2, T0.plusMillis(1), "p", "why"));
                tx.updateVersionArchived("b", 3, true);
                tx.updateVersionDescription("b", 3, "d3");
                tx.updateModelDescription("b", "new");
                return null;
            });
            store.read(tx -> {
                assertThat(tx.modelNames()).containsExactly("a", "b");
                assertThat(tx.model("b")).contains(new RegistryStore.ModelRow("b", "new", T0));
                assertThat(tx.model("c")).isEmpty();
                assertThat(tx.versionNumbers("b")).containsExactly(1, 2, 3);
                assertThat(tx.lastVersionNumber("b")).isEqualTo(3);
                assertThat(tx.lastVersionNumber("a")).isZero();
                RegistryStore.VersionRow v1 = tx.version("b", 1).orElseThrow();
                assertThat(v1.signatureJson()).isNull();
                assertThat(v1.created()).isEqualTo(T0.plusMillis(1));
                assertThat(tx.version("b", 3).orElseThrow()).extracting(RegistryStore.VersionRow::archived,
                        RegistryStore.VersionRow::description).containsExactly(true, "d3");
                assertThat(tx.tags("b", 0)).isEqualTo(Map.of("team", "y"));
                assertThat(tx.tags("b", 2)).isEqualTo(Map.of("k", "v"));
                assertThat(tx.aliases("b")).isEqualTo(Map.of("champion", 2));
                assertThat(tx.aliasHistory("b", "champion")).containsExactly(
                        new AliasChange("b", "champion", null, 1, T0, "p", ""),
                        new AliasChange("b", "champion", 1, 2, T0.plusMillis(1), "p", "why"));
                return null;
            });
            store.write(tx -> {
                tx.deleteVersion("b", 3);
                tx.removeAlias("b", "champion");
                return null;
            });
            store.read(tx -> {
                assertThat(tx.versionNumbers("b")).containsExactly(1, 2);
                assertThat(tx.version("b", 3)).isEmpty();
                assertThat(tx.lastVersionNumber("b")).as("a deleted number stays taken").isEqualTo(3);
                assertThat(tx.aliases("b")).isEmpty();
                return null;
            });
        }
    }

    @Test
    void theAuditLogKeepsItsOrderAndRecordsItsHead() {
        try (RegistryStore store = backend().registryStore(newSpec(dir))) {
            AuditEntry e1 = new AuditEntry(1, T0, "p", "a", "t", "{}", "", "0".repeat(64), "h1");
            AuditEntry e2 = new AuditEntry(2, T0.plusMillis(5), "q", "b", "t", "{\"x\":1}", "r", "h1", "h2");
            store.write(tx -> {
                tx.appendAudit(e1);
                tx.appendAudit(e2);
                return null;
            });
            assertThat(store.read(RegistryStore.Tx::auditLog)).containsExactly(e1, e2);
            assertThat(store.read(RegistryStore.Tx::lastAuditEntry)).contains(e2);
            assertThat(store.read(RegistryStore.Tx::auditHead)).contains("2:h2");
            // a second entry with a taken sequence number is refused, and so the whole write
            assertThatThrownBy(() -> store.write(tx -> {
                tx.insertModel(new RegistryStore.ModelRow("m", "", T0));
                tx.appendAudit(e2);
                return null;
            })).isInstanceOf(RuntimeException.class);
            boolean present = store.read(tx -> tx.model("m").isPresent());
            assertThat(present).isFalse();
        }
    }

    // ------------------------------------------------------------------------------------------ registry level

    private ModelRegistry open(String spec, Path home, List<AutoCloseable> toClose) {
        TrackingStore tracking = backend().trackingStore(spec);
        RegistryStore registry = backend().registryStore(spec);
        toClose.add(tracking);
        toClose.add(registry);
        ModelRegistry r = ModelRegistry.builder().home(home).trackingStore(tracking).registryStore(registry)
                .principal(() -> "tester").build();
        toClose.add(0, r);
        return r;
    }

    private static void closeAll(List<AutoCloseable> resources) throws Exception {
        for (AutoCloseable c : resources) {
            c.close();
        }
    }

    private static String sourceRun(ModelRegistry registry, Path home, double accuracy) throws IOException {
        try (RegistryRun run = registry.startRun("models", "source")) {
            Path f = Files.writeString(home.resolve("weights-" + accuracy + ".bin"), "weights " + accuracy);
            run.logArtifact(f, "model");
            run.logMetric("accuracy", accuracy);
            return run.runId();
        }
    }

    @Test
    void aRegistryOnTheStoreVersionsAliasesDeletesAndAudits() throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            Path home = Files.createDirectories(dir.resolve("home"));
            ModelRegistry registry = open(newSpec(dir), home, resources);
            String run = sourceRun(registry, home, 0.9);
            for (int i = 1; i <= 3; i++) {
                ModelVersion v = registry.createVersion(VersionRequest.builder("churn", run, "model").build());
                assertThat(v.version()).isEqualTo(i);
                // python3: hashlib.sha256(b'weights 0.9').hexdigest()
                assertThat(v.files()).singleElement().satisfies(f -> {
                    assertThat(f.size()).isEqualTo(11);
                    assertThat(f.sha256().hex())
                            .isEqualTo("01407e60d7d52934b5e543d0f1899fa10b7e5ea46ac3196ed27235e5b3358974");
                });
            }
            registry.setTag("churn", 2, "k", "v", "tagging");
            registry.setDescription("churn", 0, "the churn model", "docs");
            registry.setAlias("churn", "champion", 1, "first");
            registry.setAlias("churn", "champion", 2, "better");
            assertThat(registry.rollback("churn", "champion", "oops").version()).isEqualTo(1);
            assertThat(registry.transitionStage("churn", 3, Stage.ARCHIVED, "old").stage()).isEqualTo(Stage.ARCHIVED);
            assertThat(registry.resolve("models:/churn@champion").version()).isEqualTo(1);
            assertThat(registry.model("churn").description()).isEqualTo("the churn model");
            assertThat(registry.version("churn", 2).tags()).containsEntry("k", "v");
            assertThat(registry.aliasHistory("churn", "champion")).extracting(AliasChange::fromVersion,
                    AliasChange::toVersion).containsExactly(org.assertj.core.groups.Tuple.tuple(null, 1),
                    org.assertj.core.groups.Tuple.tuple(1, 2), org.assertj.core.groups.Tuple.tuple(2, 1));

            // a version an alias points at cannot be deleted; the message names the alias
            assertThatThrownBy(() -> registry.deleteVersion("churn", 1, "cleanup"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("@champion")
                    .hasMessageContaining("models:/churn/1");
            registry.deleteVersion("churn", 3, "cleanup");
            assertThatThrownBy(() -> registry.version("churn", 3)).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("1").hasMessageContaining("2");
            assertThat(registry.createVersion(VersionRequest.builder("churn", run, "model").build()).version())
                    .as("a deleted number is not given again").isEqualTo(4);
            assertThat(registry.versions("churn")).extracting(ModelVersion::version).containsExactly(1, 2, 4);
            assertThat(registry.auditLog()).extracting(AuditEntry::action).contains("delete_version")
                    .allSatisfy(a -> assertThat(a).isNotBlank());
            AuditVerification check = registry.verifyAuditLog();
            assertThat(check.intact()).as(check.problem()).isTrue();
        } finally {
            closeAll(resources);
        }
    }

    @Test
    void twoRegistriesCreatingVersionsAtOnceGetDistinctConsecutiveNumbers() throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        String spec = newSpec(dir);
        Path home = Files.createDirectories(dir.resolve("home"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            ModelRegistry a = open(spec, home, resources);
            ModelRegistry b = open(spec, home, resources);
            String run = sourceRun(a, home, 0.9);
            int perThread = 12;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Integer>>> futures = new ArrayList<>();
            for (ModelRegistry r : List.of(a, b, a, b)) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Integer> got = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        got.add(r.createVersion(VersionRequest.builder("m", run, "model").build()).version());
                    }
                    return got;
                }));
            }
            start.countDown();
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> f : futures) {
                List<Integer> got = f.get(3, TimeUnit.MINUTES);
                assertThat(got).as("one thread's versions increase").isSorted();
                all.addAll(got);
            }
            Collections.sort(all);
            assertThat(all).containsExactlyElementsOf(IntStream.rangeClosed(1, 4 * perThread).boxed().toList());
            assertThat(b.versions("m")).hasSize(4 * perThread);
            AuditVerification check = b.verifyAuditLog();
            assertThat(check.intact()).as(check.problem()).isTrue();
            assertThat(check.entries()).isEqualTo(4 * perThread + 1); // + create_model
        } finally {
            pool.shutdownNow();
            closeAll(resources);
        }
    }

    @Test
    void twoRegistriesMovingOneAliasAtOnceLoseNoChange() throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        String spec = newSpec(dir);
        Path home = Files.createDirectories(dir.resolve("home"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            ModelRegistry a = open(spec, home, resources);
            ModelRegistry b = open(spec, home, resources);
            String run = sourceRun(a, home, 0.9);
            for (int i = 0; i < 5; i++) {
                a.createVersion(VersionRequest.builder("m", run, "model").build());
            }
            PromotionPolicy always = PromotionPolicy.of("accuracy >= 0");
            int moves = 15;
            CountDownLatch start = new CountDownLatch(1);
            List<PromotionDecision> decisions = new CopyOnWriteArrayList<>();
            List<Future<?>> futures = new ArrayList<>();
            for (ModelRegistry r : List.of(a, b, a, b)) {
                boolean viaPromote = futures.size() % 2 == 0;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < moves; i++) {
                        int target = 1 + ThreadLocalRandom.current().nextInt(5);
                        if (viaPromote) {
                            decisions.add(r.promote("m", target, "champion", always, "gate"));
                        } else {
                            r.setAlias("m", "champion", target, "manual");
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(3, TimeUnit.MINUTES);
            }
            assertThat(decisions).hasSize(2 * moves).allMatch(PromotionDecision::approved);
            List<AliasChange> history = b.aliasHistory("m", "champion");
            // a serial history: each move starts where the previous one ended (no lost update)
            assertThat(history.get(0).fromVersion()).isNull();
            for (int i = 1; i < history.size(); i++) {
                assertThat(history.get(i).fromVersion()).as("move %d", i).isEqualTo(history.get(i - 1).toVersion());
                assertThat(history.get(i).fromVersion()).isNotEqualTo(history.get(i).toVersion());
            }
            assertThat(b.resolve("models:/m@champion").version())
                    .isEqualTo(history.get(history.size() - 1).toVersion());
            // every move is audited exactly once
            long audited = b.auditLog().stream().filter(e -> e.target().equals("models:/m@champion")).count();
            assertThat(audited).isEqualTo(history.size());
            AuditVerification check = a.verifyAuditLog();
            assertThat(check.intact()).as(check.problem()).isTrue();
        } finally {
            pool.shutdownNow();
            closeAll(resources);
        }
    }

    // ------------------------------------------------------------------------------------------ killed client

    /**
     * The child JVM: registers versions and moves an alias until killed, printing {@code V <n>} after each
     * {@code createVersion} returned and {@code A <n>} after each {@code setAlias} returned.
     * Arguments: backend class, spec, home.
     */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            Backend backend = (Backend) Class.forName(args[0]).getConstructor().newInstance();
            Path home = Path.of(args[2]);
            try (TrackingStore tracking = backend.trackingStore(args[1]);
                 RegistryStore store = backend.registryStore(args[1]);
                 ModelRegistry registry = ModelRegistry.builder().home(home).trackingStore(tracking)
                         .registryStore(store).principal(() -> "child").build()) {
                String run = sourceRun(registry, home, 0.5);
                System.out.println("RUN " + run);
                System.out.flush();
                while (true) {
                    ModelVersion v = registry.createVersion(VersionRequest.builder("k", run, "model").build());
                    System.out.println("V " + v.version());
                    System.out.flush();
                    registry.setAlias("k", "champion", v.version(), "newest");
                    System.out.println("A " + v.version());
                    System.out.flush();
                }
            }
        }
    }

    @Test
    void aClientKilledWhileRegisteringLosesNoAcknowledgedWrite() throws Exception {
        String spec = newSpec(dir);
        Path home = Files.createDirectories(dir.resolve("home"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), backend().getClass().getName(), spec,
                home.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (lines.size() >= 50) {
                    break;
                }
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no close(), possibly mid-transaction
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(lines).as("the child's output").hasSizeGreaterThanOrEqualTo(50);
        int lastVersion = lines.stream().filter(s -> s.startsWith("V ")).mapToInt(s -> Integer.parseInt(s.substring(2)))
                .max().orElseThrow();
        int lastAlias = lines.stream().filter(s -> s.startsWith("A ")).mapToInt(s -> Integer.parseInt(s.substring(2)))
                .max().orElseThrow();
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            ModelRegistry registry = open(spec, home, resources);
            List<Integer> versions = registry.versions("k").stream().map(ModelVersion::version).toList();
            // every acknowledged version is there, numbered without gaps (an unacknowledged one may be too)
            assertThat(versions).containsExactlyElementsOf(IntStream.rangeClosed(1, versions.size()).boxed().toList());
            assertThat(versions.size()).isBetween(lastVersion, lastVersion + 1);
            int champion = registry.resolve("models:/k@champion").version();
            assertThat(champion).isBetween(lastAlias, lastAlias + 1);
            Set<Integer> moved = new HashSet<>();
            for (AliasChange c : registry.aliasHistory("k", "champion")) {
                moved.add(c.toVersion());
            }
            assertThat(moved).containsAll(IntStream.rangeClosed(1, lastAlias).boxed().toList());
            AuditVerification check = registry.verifyAuditLog();
            assertThat(check.intact()).as(check.problem()).isTrue();
            // and the store still takes writes
            assertThat(registry.createVersion(VersionRequest.builder("k", lines.get(0).substring(4), "model").build())
                    .version()).isEqualTo(versions.size() + 1);
        } finally {
            closeAll(resources);
        }
    }
}
