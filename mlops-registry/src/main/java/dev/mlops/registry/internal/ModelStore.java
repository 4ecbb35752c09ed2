package dev.mlops.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.Fingerprint;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.spi.TrackedRun;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.registry.AliasChange;
import dev.mlops.registry.ArtifactEntry;
import dev.mlops.registry.AuditEntry;
import dev.mlops.registry.AuditVerification;
import dev.mlops.registry.MetricPoint;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.PromotionDecision;
import dev.mlops.registry.PromotionPolicy;
import dev.mlops.registry.RegisteredModel;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.Stage;
import dev.mlops.registry.VersionRequest;
import dev.mlops.registry.spi.RegistryStore;
import dev.mlops.registry.spi.RegistryStore.Tx;
import dev.mlops.registry.spi.TrackingStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The model registry's logic over a {@link RegistryStore} (models, versions, tags, aliases with history, the stage
 * view, promotion, the hash-chained audit log) and a {@link TrackingStore} (the runs that versions come from).
 * Every change and its audit entry are one {@link RegistryStore#write} transaction. Promotion reads the runs'
 * metrics outside that transaction and moves the alias only if it still points where it pointed when the decision
 * was made (compare-and-set, retried), so the champion cannot change between the decision and the move.
 */
final class ModelStore {

    static final String ZERO_HASH = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROMOTE_ATTEMPTS = 20;

    private final RegistryStore store;
    private final TrackingStore tracking;
    private final Clock clock;
    private final Supplier<String> principal;

    ModelStore(RegistryStore store, TrackingStore tracking, Clock clock, Supplier<String> principal) {
        this.store = store;
        this.tracking = tracking;
        this.clock = clock;
        this.principal = principal;
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private String who() {
        String p = principal.get();
        return p == null || p.isBlank() ? "unknown" : p;
    }

    // ------------------------------------------------------------------------------------------ audit

    private void audit(Tx tx, String action, String target, Map<String, Object> details, String reason) {
        Optional<AuditEntry> last = tx.lastAuditEntry();
        long seq = last.map(e -> e.seq() + 1).orElse(1L);
        String prev = last.map(AuditEntry::hash).orElse(ZERO_HASH);
        Instant at = now();
        String who = who();
        String json = json(details);
        String r = reason == null ? "" : reason;
        String hash = hash(prev, seq, at.toEpochMilli(), who, action, target, json, r);
        tx.appendAudit(new AuditEntry(seq, at, who, action, target, json, r, prev, hash));
    }

    static String hash(String prev, long seq, long at, String principal, String action, String target, String details,
                       String reason) {
        return Fingerprint.hasher().putString(prev).putLong(seq).putLong(at).putString(principal).putString(action)
                .putString(target).putString(details).putString(reason).finish().hex();
    }

    List<AuditEntry> auditLog() {
        return store.read(Tx::auditLog);
    }

    AuditVerification verifyAuditLog() {
        record Snapshot(String head, List<AuditEntry> log) {
        }
        Snapshot s = store.read(tx -> new Snapshot(tx.auditHead().orElse(null), tx.auditLog()));
        String head = s.head();
        List<AuditEntry> log = s.log();
        String prev = ZERO_HASH;
        long expectedSeq = 1;
        for (AuditEntry e : log) {
            if (e.seq() != expectedSeq) {
                return new AuditVerification(false, log.size(), expectedSeq, "entry " + expectedSeq + " is missing (next"
                        + " is " + e.seq() + ")", prev);
            }
            if (!e.prevHash().equals(prev)) {
                return new AuditVerification(false, log.size(), e.seq(), "entry " + e.seq() + " does not chain to the"
                        + " previous entry (prev_hash " + e.prevHash() + ", previous hash " + prev + ")", prev);
            }
            String h = hash(prev, e.seq(), e.at().toEpochMilli(), e.principal(), e.action(), e.target(), e.details(),
                    e.reason());
            if (!h.equals(e.hash())) {
                return new AuditVerification(false, log.size(), e.seq(), "entry " + e.seq() + " was altered: its content"
                        + " hashes to " + h + " but it records " + e.hash(), prev);
            }
            prev = h;
            expectedSeq++;
        }
        String expectedHead = log.isEmpty() ? null : log.get(log.size() - 1).seq() + ":" + prev;
        if (!Objects.equals(head, expectedHead)) {
            return new AuditVerification(false, log.size(), log.size() + 1L, "the log ends at " + expectedHead
                    + " but the recorded head is " + head + " (entries were removed from the end)", prev);
        }
        return new AuditVerification(true, log.size(), -1, "", prev);
    }

    // ------------------------------------------------------------------------------------------ models

    RegisteredModel createModel(String name, String description) {
        checkModelName(name);
        Objects.requireNonNull(description, "description");
        return store.write(tx -> {
            ensureModel(tx, name, description, "");
            return loadModel(tx, name);
        });
    }

    private static void checkModelName(String name) {
        Objects.requireNonNull(name, "model");
        if (!name.matches("[A-Za-z0-9_.\\-]{1,200}")) {
            throw new IllegalArgumentException("model name '" + name + "' must be 1 to 200 letters, digits, '_', '-'"
                    + " or '.'. Fix: e.g. 'breast-cancer-lr'");
        }
    }

    private void ensureModel(Tx tx, String name, String description, String reason) {
        if (tx.insertModel(new RegistryStore.ModelRow(name, description, now()))) {
            audit(tx, "create_model", "models:/" + name, Map.of("description", description), reason);
        }
    }

    RegisteredModel model(String name) {
        return store.read(tx -> loadModel(tx, name));
    }

    List<RegisteredModel> models() {
        return store.read(tx -> {
            List<RegisteredModel> out = new ArrayList<>();
            for (String n : tx.modelNames()) {
                out.add(loadModel(tx, n));
            }
            return out;
        });
    }

    private static RegisteredModel loadModel(Tx tx, String name) {
        Objects.requireNonNull(name, "model");
        RegistryStore.ModelRow row = tx.model(name)
                .orElseThrow(() -> new NotFoundException("model", name, tx.modelNames()));
        List<Integer> versions = tx.versionNumbers(name);
        return new RegisteredModel(name, row.description(), row.created(), tx.tags(name, 0), tx.aliases(name),
                versions.isEmpty() ? 0 : versions.get(versions.size() - 1));
    }

    // ------------------------------------------------------------------------------------------ versions

    ModelVersion createVersion(VersionRequest r) {
        Objects.requireNonNull(r, "request");
        String signature = r.signature() == null ? null : signatureJson(r.signature());
        String example = json(r.inputExample());
        String runId = r.runId();
        // the run's artifact entries, pinned by SHA-256 (NotFoundException if the run does not exist)
        List<ArtifactEntry> entries = tracking.artifacts(runId);
        List<Map<String, Object>> files = new ArrayList<>();
        List<String> all = new ArrayList<>();
        String path = r.artifactPath();
        for (ArtifactEntry a : entries) {
            String p = a.path();
            all.add(p);
            String rel = p.equals(path) ? p.substring(p.lastIndexOf('/') + 1)
                    : path.isEmpty() ? p : p.startsWith(path + "/") ? p.substring(path.length() + 1) : null;
            if (rel != null) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("path", rel);
                f.put("sha256", a.sha256().hex());
                f.put("size", a.size());
                files.add(f);
            }
        }
        if (files.isEmpty()) {
            throw new NotFoundException("artifact of run " + runId, path, all);
        }
        String filesJson = json(files);
        return store.write(tx -> {
            ensureModel(tx, r.model(), "", r.reason());
            int version = tx.lastVersionNumber(r.model()) + 1;
            tx.insertVersion(new RegistryStore.VersionRow(r.model(), version, runId, path, r.flavor(), signature,
                    example, r.description(), now(), false, filesJson));
            for (Map.Entry<String, String> t : r.tags().entrySet()) {
                tx.putTag(r.model(), version, t.getKey(), t.getValue());
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("run_id", runId);
            details.put("artifact_path", path);
            details.put("flavor", r.flavor());
            details.put("files", files);
            audit(tx, "create_version", "models:/" + r.model() + "/" + version, details, r.reason());
            return loadVersion(tx, r.model(), version);
        });
    }

    ModelVersion version(String model, int version) {
        return store.read(tx -> loadVersion(tx, model, version));
    }

    List<ModelVersion> versions(String model) {
        return store.read(tx -> {
            loadModel(tx, model);
            List<ModelVersion> out = new ArrayList<>();
            for (int v : tx.versionNumbers(model)) {
                out.add(loadVersion(tx, model, v));
            }
            return out;
        });
    }

    private static ModelVersion loadVersion(Tx tx, String model, int version) {
        loadModel(tx, model);
        RegistryStore.VersionRow row = tx.version(model, version).orElseThrow(() -> new NotFoundException(
                "version of model '" + model + "'", Integer.toString(version),
                tx.versionNumbers(model).stream().map(String::valueOf).toList()));
        Set<String> held = new TreeSet<>();
        tx.aliases(model).forEach((a, v) -> {
            if (v == version) {
                held.add(a);
            }
        });
        Stage stage = held.contains("production") ? Stage.PRODUCTION : held.contains("staging") ? Stage.STAGING
                : row.archived() ? Stage.ARCHIVED : Stage.NONE;
        List<ArtifactEntry> files = new ArrayList<>();
        for (Map<String, Object> f : jsonList(row.filesJson())) {
            files.add(new ArtifactEntry((String) f.get("path"),
                    Fingerprint.parse(Fingerprint.PREFIX + f.get("sha256")), ((Number) f.get("size")).longValue()));
        }
        String sig = row.signatureJson();
        return new ModelVersion(model, version, row.runId(), row.artifactPath(), row.flavor(),
                sig == null ? null : parseSignature(sig), jsonList(row.inputExampleJson()), row.description(),
                row.created(), tx.tags(model, version), files, held, stage);
    }

    /**
     * Deletes a version: refused while an alias points at it (the message names the aliases). Its number is never
     * given again; its files stay in the artifact store until {@code collectGarbage} finds them unreferenced.
     */
    void deleteVersion(String model, int version, String reason) {
        store.write(tx -> {
            ModelVersion v = loadVersion(tx, model, version);
            if (!v.aliases().isEmpty()) {
                throw new IllegalStateException("cannot delete " + v.uri() + ": alias" + (v.aliases().size() > 1 ? "es "
                        : " ") + v.aliases().stream().map(a -> "@" + a).toList() + " point" + (v.aliases().size() > 1
                        ? "" : "s") + " at it. Fix: move the alias to another version (setAlias) or delete it"
                        + " (deleteAlias) first");
            }
            tx.deleteVersion(model, version);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("run_id", v.runId());
            details.put("artifact_path", v.artifactPath());
            audit(tx, "delete_version", target(model, version), details, reason);
            return null;
        });
    }

    /** The SHA-256 digests (hex) of every file of every existing version. */
    Set<String> referencedDigests() {
        return store.read(tx -> {
            Set<String> out = new java.util.HashSet<>();
            for (String m : tx.modelNames()) {
                for (int v : tx.versionNumbers(m)) {
                    tx.version(m, v).ifPresent(row -> {
                        for (Map<String, Object> f : jsonList(row.filesJson())) {
                            out.add((String) f.get("sha256"));
                        }
                    });
                }
            }
            return out;
        });
    }

    ModelVersion resolve(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (!uri.startsWith("models:/") || uri.length() == "models:/".length()) {
            throw new IllegalArgumentException("model URI '" + uri + "' must be models:/<name>/<version> or"
                    + " models:/<name>@<alias>. Fix: e.g. models:/churn/3 or models:/churn@champion");
        }
        String rest = uri.substring("models:/".length());
        int at = rest.indexOf('@');
        if (at > 0) {
            String model = rest.substring(0, at);
            String alias = rest.substring(at + 1);
            return store.read(tx -> {
                Map<String, Integer> aliases = tx.aliases(model);
                Integer v = aliases.get(alias);
                if (v == null) {
                    loadModel(tx, model);
                    throw new NotFoundException("alias of model '" + model + "'", alias, List.copyOf(aliases.keySet()));
                }
                return loadVersion(tx, model, v);
            });
        }
        int slash = rest.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("model URI '" + uri + "' has no version or alias. Fix: e.g. models:/"
                    + rest + "/1 or models:/" + rest + "@champion");
        }
        String model = rest.substring(0, slash);
        String v = rest.substring(slash + 1);
        if (!v.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("model URI '" + uri + "': version '" + v + "' is not a positive number");
        }
        return version(model, Integer.parseInt(v));
    }

    // ------------------------------------------------------------------------------------------ tags, descriptions

    void setDescription(String model, int version, String description, String reason) {
        Objects.requireNonNull(description, "description");
        store.write(tx -> {
            if (version == 0) {
                loadModel(tx, model);
                tx.updateModelDescription(model, description);
            } else {
                loadVersion(tx, model, version);
                tx.updateVersionDescription(model, version, description);
            }
            audit(tx, "set_description", target(model, version), Map.of("description", description), reason);
            return null;
        });
    }

    void setTag(String model, int version, String key, String value, String reason) {
        TrackedRun.checkKey(key);
        Objects.requireNonNull(value, "value");
        store.write(tx -> {
            if (version == 0) {
                loadModel(tx, model);
            } else {
                loadVersion(tx, model, version);
            }
            tx.putTag(model, version, key, value);
            audit(tx, "set_tag", target(model, version), Map.of("key", key, "value", value), reason);
            return null;
        });
    }

    private static String target(String model, int version) {
        return "models:/" + model + (version == 0 ? "" : "/" + version);
    }

    // ------------------------------------------------------------------------------------------ aliases

    static String checkAlias(String alias) {
        Objects.requireNonNull(alias, "alias");
        if (!alias.matches("[A-Za-z0-9_\\-]{1,100}") || alias.matches("[0-9]+") || alias.equals("latest")) {
            throw new IllegalArgumentException("alias '" + alias + "' must be 1 to 100 letters, digits, '_' or '-',"
                    + " not only digits and not 'latest'. Fix: e.g. 'champion'");
        }
        return alias;
    }

    ModelVersion setAlias(String model, String alias, int version, String reason) {
        checkAlias(alias);
        return store.write(tx -> {
            moveAlias(tx, model, alias, version, "set_alias", reason, Map.of());
            return loadVersion(tx, model, version);
        });
    }

    /** Moves (or with {@code version == null} removes) an alias: history row and audit entry. */
    private Integer moveAlias(Tx tx, String model, String alias, Integer version, String action, String reason,
                              Map<String, Object> extra) {
        if (version != null) {
            loadVersion(tx, model, version);
        } else {
            loadModel(tx, model);
        }
        Integer from = tx.aliases(model).get(alias);
        if (Objects.equals(from, version)) {
            return from;
        }
        if (version == null) {
            tx.removeAlias(model, alias);
        } else {
            tx.putAlias(model, alias, version);
        }
        tx.appendAliasChange(new AliasChange(model, alias, from, version, now(), who(),
                reason == null ? "" : reason));
        Map<String, Object> details = new LinkedHashMap<>(extra);
        details.put("from", from);
        details.put("to", version);
        audit(tx, action, "models:/" + model + "@" + alias, details, reason);
        return from;
    }

    void deleteAlias(String model, String alias, String reason) {
        checkAlias(alias);
        store.write(tx -> moveAlias(tx, model, alias, null, "delete_alias", reason, Map.of()));
    }

    List<AliasChange> aliasHistory(String model, String alias) {
        return store.read(tx -> {
            loadModel(tx, model);
            return tx.aliasHistory(model, alias);
        });
    }

    ModelVersion transitionStage(String model, int version, Stage stage, String reason) {
        Objects.requireNonNull(stage, "stage");
        return store.write(tx -> {
            loadVersion(tx, model, version);
            Map<String, Object> extra = Map.of("stage", stage.name());
            if (stage == Stage.PRODUCTION || stage == Stage.STAGING) {
                moveAlias(tx, model, stage.alias(), version, "transition_stage", reason, extra);
                tx.updateVersionArchived(model, version, false);
            } else {
                for (String a : List.of("production", "staging")) {
                    if (Objects.equals(tx.aliases(model).get(a), version)) {
                        moveAlias(tx, model, a, null, "transition_stage", reason, extra);
                    }
                }
                tx.updateVersionArchived(model, version, stage == Stage.ARCHIVED);
                audit(tx, "transition_stage", target(model, version), Map.of("stage", stage.name()), reason);
            }
            return loadVersion(tx, model, version);
        });
    }

    ModelVersion rollback(String model, String alias, String reason) {
        checkAlias(alias);
        return store.write(tx -> {
            loadModel(tx, model);
            List<AliasChange> history = tx.aliasHistory(model, alias);
            Integer previous = history.isEmpty() ? null : history.get(history.size() - 1).fromVersion();
            if (previous == null) {
                throw new IllegalStateException("cannot roll back models:/" + model + "@" + alias + ": "
                        + (!history.isEmpty() ? "no version held it before its latest move" : "the alias was never set")
                        + ". Fix: set the alias explicitly with setAlias");
            }
            moveAlias(tx, model, alias, previous, "rollback", reason, Map.of());
            return loadVersion(tx, model, previous);
        });
    }

    // ------------------------------------------------------------------------------------------ promotion

    /** The candidate and the alias's holder at one instant. */
    private record Contest(ModelVersion candidate, Integer championVersion, ModelVersion champion) {
    }

    private Contest contest(String model, int candidate, String alias) {
        return store.read(tx -> {
            ModelVersion cand = loadVersion(tx, model, candidate);
            Integer champion = tx.aliases(model).get(alias);
            return new Contest(cand, champion, champion == null ? null : loadVersion(tx, model, champion));
        });
    }

    PromotionDecision evaluate(String model, int candidate, String alias, PromotionPolicy policy) {
        checkAlias(alias);
        Objects.requireNonNull(policy, "policy");
        return decide(contest(model, candidate, alias), model, candidate, alias, policy);
    }

    PromotionDecision promote(String model, int candidate, String alias, PromotionPolicy policy, String reason) {
        checkAlias(alias);
        Objects.requireNonNull(policy, "policy");
        for (int attempt = 0; attempt < PROMOTE_ATTEMPTS; attempt++) {
            Contest contest = contest(model, candidate, alias);
            PromotionDecision d = decide(contest, model, candidate, alias, policy);
            PromotionDecision done = store.write(tx -> {
                // compare-and-set: the decision holds only against the champion it was made against
                if (!Objects.equals(tx.aliases(model).get(alias), contest.championVersion())) {
                    return null;
                }
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("policy", policy.gate());
                details.put("same_dataset", policy.sameDataset());
                details.put("approved", d.approved());
                details.put("reasons", d.reasons());
                if (d.approved()) {
                    moveAlias(tx, model, alias, candidate, "promote", reason, details);
                } else {
                    loadVersion(tx, model, candidate);
                    details.put("candidate", candidate);
                    details.put("champion", d.champion());
                    audit(tx, "promotion_denied", "models:/" + model + "@" + alias, details, reason);
                }
                return d;
            });
            if (done != null) {
                return done;
            }
        }
        throw new ResourceUnavailableException("models:/" + model + "@" + alias, "the alias moved under "
                + PROMOTE_ATTEMPTS + " consecutive promotion attempts of version " + candidate
                + "; nothing was changed. Retry later");
    }

    private PromotionDecision decide(Contest contest, String model, int candidate, String alias,
                                     PromotionPolicy policy) {
        ModelVersion cand = contest.candidate();
        Integer champion = contest.championVersion();
        ModelVersion champ = contest.champion();
        List<String> reasons = new ArrayList<>();
        boolean ok = true;
        if (champion != null && champion == candidate) {
            reasons.add("version " + candidate + " already holds @" + alias);
        }
        RunInfo candRun = tracking.run(cand.runId());
        RunInfo champRun = champ == null ? null : tracking.run(champ.runId());
        Map<String, Double> candMetrics = metrics(candRun);
        Map<String, Double> champMetrics = champRun == null ? null : metrics(champRun);
        if (policy.sameDataset() != null) {
            String name = policy.sameDataset();
            String a = candRun.datasets().get(name);
            String b = champRun == null ? null : champRun.datasets().get(name);
            if (a == null) {
                ok = false;
                reasons.add("dataset '" + name + "': the candidate's run " + cand.runId() + " did not log it; failed");
            } else if (champ == null) {
                reasons.add("dataset '" + name + "': " + a + " (no champion to compare with); passed");
            } else if (!a.equals(b)) {
                ok = false;
                reasons.add("dataset '" + name + "': candidate " + a + " differs from champion " + b
                        + "; the metrics are not comparable; failed");
            } else {
                reasons.add("dataset '" + name + "': both evaluated on " + a + "; passed");
            }
        }
        for (Gate.Clause clause : Gate.parse(policy.gate()).clauses()) {
            Gate.Outcome o = Gate.evaluate(clause, candMetrics, champMetrics);
            ok &= o.passed();
            reasons.add(o.reason());
        }
        return new PromotionDecision(ok, model, alias, candidate, champion, reasons);
    }

    private static Map<String, Double> metrics(RunInfo run) {
        Map<String, Double> out = new HashMap<>();
        for (Map.Entry<String, MetricPoint> e : run.metrics().entrySet()) {
            out.put(e.getKey(), e.getValue().value());
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ JSON

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static List<Map<String, Object>> jsonList(String text) {
        try {
            return JSON.readValue(text, new TypeReference<List<Map<String, Object>>>() { });
        } catch (JsonProcessingException e) {
            throw new NonRetriableException("registry JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    static String signatureJson(ModelSignature s) {
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Field f : s.inputs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("type", f.type().name());
            m.put("nullable", f.nullable());
            fields.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", fields);
        m.put("output", s.output().name());
        return json(m);
    }

    static ModelSignature parseSignature(String text) {
        try {
            Map<String, Object> m = JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
            List<Field> fields = new ArrayList<>();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> inputs = (List<Map<String, Object>>) m.get("inputs");
            for (Map<String, Object> f : inputs) {
                ColumnType type = ColumnType.valueOf((String) f.get("type"));
                fields.add(Boolean.TRUE.equals(f.get("nullable")) ? Field.nullable((String) f.get("name"), type)
                        : Field.of((String) f.get("name"), type));
            }
            return new ModelSignature(Schema.of(fields), ColumnType.valueOf((String) m.get("output")));
        } catch (JsonProcessingException e) {
            throw new NonRetriableException("stored model signature is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
