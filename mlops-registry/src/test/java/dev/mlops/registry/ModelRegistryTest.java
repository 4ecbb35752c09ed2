package dev.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

    @TempDir
    Path home;
    @TempDir
    Path work;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    final AtomicReference<String> user = new AtomicReference<>("alice");
    ModelRegistry registry;

    @BeforeEach
    void open() {
        registry = ModelRegistry.builder().home(home).clock(clock).principal(user::get).build();
    }

    @AfterEach
    void close() {
        registry.close();
    }

    /** A finished run with a model file, the given metrics and an eval dataset; returns its id. */
    String trainedRun(String content, Map<String, Double> metrics, String evalData) throws Exception {
        try (RegistryRun run = registry.startRun("exp", null)) {
            Path f = Files.writeString(work.resolve("model-" + content + ".bin"), content);
            run.logArtifact(f, "model");
            run.logMetrics(metrics, 0);
            if (evalData != null) {
                run.logDataset("eval", Fingerprint.of(evalData));
            }
            return run.runId();
        }
    }

    ModelVersion register(String runId) {
        return registry.createVersion(VersionRequest.builder("cancer", runId, "model").flavor("files").build());
    }

    @Test
    void versionsAreMonotonicAndPinTheirFiles() throws Exception {
        String r1 = trainedRun("a", Map.of("accuracy", 0.9), null);
        Schema schema = Schema.of(Field.of("radius", ColumnType.DOUBLE), Field.nullable("texture", ColumnType.DOUBLE));
        ModelVersion v1 = registry.createVersion(VersionRequest.builder("cancer", r1, "model")
                .signature(new ModelSignature(schema, ColumnType.STRING))
                .inputExample(List.of(Map.of("radius", 14.2, "texture", 20.1)))
                .description("first").tag("owner", "ml").reason("initial").build());
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.files()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("model-a.bin");
            assertThat(f.sha256()).isEqualTo(Fingerprint.of("a"));
        });
        ModelVersion v2 = register(trainedRun("b", Map.of("accuracy", 0.95), null));
        assertThat(v2.version()).isEqualTo(2);
        ModelVersion again = registry.version("cancer", 1);
        assertThat(again.signature()).isEqualTo(new ModelSignature(schema, ColumnType.STRING));
        assertThat(again.inputExample()).containsExactly(Map.of("radius", 14.2, "texture", 20.1));
        assertThat(again.description()).isEqualTo("first");
        assertThat(again.tags()).containsEntry("owner", "ml");
        assertThat(again.runId()).isEqualTo(r1);
        assertThat(registry.model("cancer").latestVersion()).isEqualTo(2);
        assertThat(registry.versions("cancer")).extracting(ModelVersion::version).containsExactly(1, 2);
    }

    @Test
    void unknownModelVersionAliasAndArtifactListWhatExists() throws Exception {
        String run = trainedRun("a", Map.of(), null);
        register(run);
        registry.setAlias("cancer", "champion", 1, "first");
        assertThatThrownBy(() -> registry.model("cancr")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("did you mean 'cancer'");
        assertThatThrownBy(() -> registry.version("cancer", 7)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Available (1): '1'");
        assertThatThrownBy(() -> registry.resolve("models:/cancer@champoin")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("'champion'");
        assertThatThrownBy(() -> registry.createVersion(VersionRequest.builder("cancer", run, "weights").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("model/model-a.bin");
        assertThat(registry.versions("cancer")).hasSize(1); // the failed request left nothing behind
    }

    @Test
    void uris() throws Exception {
        register(trainedRun("a", Map.of(), null));
        register(trainedRun("b", Map.of(), null));
        registry.setAlias("cancer", "champion", 1, "");
        assertThat(registry.resolve("models:/cancer/2").version()).isEqualTo(2);
        assertThat(registry.resolve("models:/cancer@champion").version()).isEqualTo(1);
        for (String bad : List.of("cancer/1", "models:/", "models:/cancer", "models:/cancer/x")) {
            assertThatThrownBy(() -> registry.resolve(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void oneVersionPerAliasWithFullHistory() throws Exception {
        register(trainedRun("a", Map.of(), null));
        register(trainedRun("b", Map.of(), null));
        registry.setAlias("cancer", "champion", 1, "first");
        clock.advanceMillis(1000);
        user.set("bob");
        ModelVersion v2 = registry.setAlias("cancer", "champion", 2, "better");
        assertThat(v2.aliases()).containsExactly("champion");
        assertThat(registry.version("cancer", 1).aliases()).isEmpty();
        assertThat(registry.model("cancer").aliases()).containsExactly(Map.entry("champion", 2));
        registry.deleteAlias("cancer", "champion", "retire");
        assertThat(registry.aliasHistory("cancer", "champion")).containsExactly(
                new AliasChange("cancer", "champion", null, 1, Instant.parse("2026-11-27T12:00:00Z"), "alice", "first"),
                new AliasChange("cancer", "champion", 1, 2, Instant.parse("2026-11-27T12:00:01Z"), "bob", "better"),
                new AliasChange("cancer", "champion", 2, null, Instant.parse("2026-11-27T12:00:01Z"), "bob", "retire"));
        assertThatThrownBy(() -> registry.setAlias("cancer", "42", 1, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void legacyStagesAreAViewOverAliases() throws Exception {
        register(trainedRun("a", Map.of(), null));
        register(trainedRun("b", Map.of(), null));
        assertThat(registry.version("cancer", 1).stage()).isEqualTo(Stage.NONE);
        registry.transitionStage("cancer", 1, Stage.PRODUCTION, "go");
        assertThat(registry.resolve("models:/cancer@production").version()).isEqualTo(1);
        registry.transitionStage("cancer", 2, Stage.PRODUCTION, "go");
        assertThat(registry.version("cancer", 1).stage()).isEqualTo(Stage.NONE);
        assertThat(registry.version("cancer", 2).stage()).isEqualTo(Stage.PRODUCTION);
        registry.transitionStage("cancer", 2, Stage.ARCHIVED, "old");
        assertThat(registry.version("cancer", 2).stage()).isEqualTo(Stage.ARCHIVED);
        assertThat(registry.model("cancer").aliases()).doesNotContainKey("production");
        registry.transitionStage("cancer", 1, Stage.STAGING, "test");
        assertThat(registry.version("cancer", 1).stage()).isEqualTo(Stage.STAGING);
    }

    @Test
    void promotionGateAgainstTheChampionOnTheSameDataset() throws Exception {
        register(trainedRun("a", Map.of("accuracy", 0.96, "f1", 0.950), "eval-1"));
        registry.setAlias("cancer", "champion", 1, "baseline");
        register(trainedRun("b", Map.of("accuracy", 0.97, "f1", 0.953), "eval-1")); // f1 gain 0.003 < 0.005
        register(trainedRun("c", Map.of("accuracy", 0.97, "f1", 0.960), "eval-1")); // f1 gain 0.010
        register(trainedRun("d", Map.of("accuracy", 0.99, "f1", 0.990), "eval-2")); // other eval data
        register(trainedRun("e", Map.of("f1", 0.990), "eval-1")); // no accuracy
        PromotionPolicy policy = PromotionPolicy.builder().gate("accuracy >= 0.95 and f1 >= champion.f1 + 0.005")
                .sameDataset("eval").build();

        PromotionDecision d2 = registry.evaluate("cancer", 2, "champion", policy);
        assertThat(d2.approved()).isFalse();
        assertThat(d2.champion()).isEqualTo(1);
        assertThat(d2.reasons()).anySatisfy(r -> assertThat(r).contains("f1 >= champion.f1 + 0.005").contains("failed"));
        assertThat(registry.evaluate("cancer", 3, "champion", policy).approved()).isTrue();
        assertThat(registry.evaluate("cancer", 4, "champion", policy).reasons())
                .anySatisfy(r -> assertThat(r).contains("differs from champion"));
        assertThat(registry.evaluate("cancer", 5, "champion", policy).reasons())
                .anySatisfy(r -> assertThat(r).contains("'accuracy' is missing"));

        PromotionDecision denied = registry.promote("cancer", 2, "champion", policy, "try b");
        assertThat(denied.approved()).isFalse();
        assertThat(registry.resolve("models:/cancer@champion").version()).isEqualTo(1);
        PromotionDecision ok = registry.promote("cancer", 3, "champion", policy, "c is better");
        assertThat(ok.approved()).isTrue();
        assertThat(registry.resolve("models:/cancer@champion").version()).isEqualTo(3);

        // rollback in one call, and a second rollback undoes the first
        assertThat(registry.rollback("cancer", "champion", "c misbehaves").version()).isEqualTo(1);
        assertThat(registry.resolve("models:/cancer@champion").version()).isEqualTo(1);
        assertThat(registry.rollback("cancer", "champion", "false alarm").version()).isEqualTo(3);
        assertThatThrownBy(() -> registry.rollback("cancer", "challenger", "")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never set");

        assertThat(registry.auditLog()).extracting(AuditEntry::action)
                .contains("promotion_denied", "promote", "rollback");
    }

    @Test
    void aGateThatDoesNotParsePointsAtTheCharacter() {
        assertThatThrownBy(() -> PromotionPolicy.of("accuracy >= and f1 > 0"))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.position()).isEqualTo(12);
                    assertThat(e.getMessage()).startsWith("bad promotion gate at character 13");
                });
        assertThatThrownBy(() -> PromotionPolicy.of("accuracy 0.9")).isInstanceOf(FilterSyntaxException.class)
                .hasMessageContaining("expected a comparison");
    }

    @Test
    void theAuditLogIsHashChainedAndVerificationDetectsTampering() throws Exception {
        register(trainedRun("a", Map.of(), null));
        register(trainedRun("b", Map.of(), null));
        user.set("carol");
        registry.setAlias("cancer", "champion", 2, "ship it");
        List<AuditEntry> log = registry.auditLog();
        assertThat(log).extracting(AuditEntry::action)
                .containsExactly("create_model", "create_version", "create_version", "set_alias");
        AuditEntry last = log.get(3);
        assertThat(last.principal()).isEqualTo("carol");
        assertThat(last.reason()).isEqualTo("ship it");
        assertThat(last.target()).isEqualTo("models:/cancer@champion");
        // The chain, recomputed independently of the registry: SHA-256 over the documented encoding.
        String prev = "0".repeat(64);
        for (AuditEntry e : log) {
            assertThat(e.prevHash()).isEqualTo(prev);
            assertThat(e.hash()).isEqualTo(chainHash(prev, e));
            prev = e.hash();
        }
        AuditVerification ok = registry.verifyAuditLog();
        assertThat(ok.intact()).isTrue();
        assertThat(ok.entries()).isEqualTo(4);

        // The log refuses UPDATE and DELETE through SQL...
        String db = "jdbc:sqlite:" + home.resolve("registry.db");
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE audit SET principal = 'mallory' WHERE seq = 4"))
                    .hasMessageContaining("append-only");
            // ...so a tamperer drops the guard and edits an entry.
            st.execute("DROP TRIGGER audit_no_update");
            st.executeUpdate("UPDATE audit SET principal = 'mallory' WHERE seq = 2");
        }
        AuditVerification edited = registry.verifyAuditLog();
        assertThat(edited.intact()).isFalse();
        assertThat(edited.firstBadSeq()).isEqualTo(2);
        assertThat(edited.problem()).contains("altered");
    }

    /**
     * The documented entry hash, written here with the JDK's MessageDigest: SHA-256 over prev_hash, seq, at (epoch
     * ms), principal, action, target, details, reason, each string as 0x05 + int32 UTF-8 length + bytes and each
     * long as 0x03 + 8 bytes, big-endian.
     */
    static String chainHash(String prev, AuditEntry e) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream data = new java.io.DataOutputStream(out);
        java.util.function.Consumer<String> str = v -> {
            try {
                byte[] b = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                data.writeByte(0x05);
                data.writeInt(b.length);
                data.write(b);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        };
        str.accept(prev);
        data.writeByte(0x03);
        data.writeLong(e.seq());
        data.writeByte(0x03);
        data.writeLong(e.at().toEpochMilli());
        for (String v : List.of(e.principal(), e.action(), e.target(), e.details(), e.reason())) {
            str.accept(v);
        }
        return java.util.HexFormat.of().formatHex(md.digest(out.toByteArray()));
    }

    @Test
    void verificationDetectsARemovedEntryAndATruncatedTail() throws Exception {
        register(trainedRun("a", Map.of(), null));
        registry.setAlias("cancer", "champion", 1, "");
        registry.setAlias("cancer", "challenger", 1, "");
        String db = "jdbc:sqlite:" + home.resolve("registry.db");
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
            st.execute("DROP TRIGGER audit_no_delete");
            st.executeUpdate("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)");
        }
        AuditVerification v = registry.verifyAuditLog();
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("removed from the end");
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM audit WHERE seq = 2");
        }
        assertThat(registry.verifyAuditLog().problem()).contains("entry 2 is missing");
    }
}
