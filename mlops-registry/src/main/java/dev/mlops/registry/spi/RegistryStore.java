package dev.mlops.registry.spi;

import dev.mlops.registry.AliasChange;
import dev.mlops.registry.AuditEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Persists the model-registry tables: registered models, versions, their tags and descriptions, aliases with
 * their history, deleted version numbers and the audit log. The registry's logic (validation, version numbering,
 * alias moves, the audit hash chain, promotion) runs once, in the registry, on top of the primitive operations of
 * a {@link Tx}; a store only has to make a unit of work atomic, isolated and durable.
 *
 * <p>Contract (checked by the registry's {@code RegistryStoreContract} test suite, run against the embedded SQLite
 * store and PostgreSQL):
 * <ul>
 *   <li>{@link #write} runs its work in one transaction, <b>serialized</b> with every other {@code write} on the
 *       same registry, from any thread, process or host: a write that reads the highest version number or the
 *       audit head and then appends is never interleaved with another write. It commits when the work returns
 *       (durable when {@code write} returns) and rolls back everything if the work throws.</li>
 *   <li>{@link #read} sees one consistent snapshot of committed data.</li>
 *   <li>A process killed at any instant leaves every write that returned.</li>
 * </ul>
 *
 * <p>Implementations: the embedded SQLite store (in the registry's home) and {@code PostgresRegistryStore} in
 * {@code mlops-registry-postgres}. A relational store can extend {@link JdbcRegistryStore}, which implements
 * every {@link Tx} operation in portable SQL.
 */
public interface RegistryStore extends AutoCloseable {

    /**
     * Runs {@code work} in one serialized write transaction and returns its result.
     *
     * @throws dev.mlops.core.ResourceUnavailableException if the store cannot be reached or stayed locked (retriable;
     *                                                     nothing was committed)
     */
    <T> T write(Work<T> work);

    /** Runs {@code work} on one consistent snapshot; the work must not write. */
    <T> T read(Work<T> work);

    /** Closes the store; further calls fail with {@link IllegalStateException}. */
    @Override
    void close();

    /** A unit of work on a {@link Tx}; whatever it throws rolls the transaction back and reaches the caller. */
    @FunctionalInterface
    interface Work<T> {
        T run(Tx tx);
    }

    /**
     * The primitive operations inside one transaction. Version 0 in tag operations means the model itself. Reads
     * return {@code Optional.empty()}, empty collections or 0 when nothing matches; writes do not validate (the
     * registry does that before calling them).
     */
    interface Tx {
        /** The model row, if registered. */
        Optional<ModelRow> model(String name);

        /** Every model name, in code-point order. */
        List<String> modelNames();

        /** Inserts the model; {@code false} (and nothing changes) if a model of that name exists. */
        boolean insertModel(ModelRow row);

        /** Replaces a model's description. */
        void updateModelDescription(String model, String description);

        /** The highest version number ever given to the model, deleted versions included; 0 if none. */
        int lastVersionNumber(String model);

        /** Inserts a version row. */
        void insertVersion(VersionRow row);

        /** The version row, if it exists (deleted versions do not). */
        Optional<VersionRow> version(String model, int version);

        /** The model's existing version numbers, ascending. */
        List<Integer> versionNumbers(String model);

        /** Replaces a version's description. */
        void updateVersionDescription(String model, int version, String description);

        /** Sets a version's archived mark (the legacy ARCHIVED stage). */
        void updateVersionArchived(String model, int version, boolean archived);

        /**
         * Deletes a version row and its tags; its number stays taken ({@link #lastVersionNumber} still counts it).
         * Alias rows are not touched: the registry refuses the delete while an alias points at the version.
         */
        void deleteVersion(String model, int version);

        /** Tags of a model ({@code version == 0}) or a version. */
        Map<String, String> tags(String model, int version);

        /** Sets (inserts or overwrites) a tag. */
        void putTag(String model, int version, String key, String value);

        /** Alias to version, for one model. */
        Map<String, Integer> aliases(String model);

        /** Points an alias at a version (inserting or moving it). */
        void putAlias(String model, String alias, int version);

        /** Removes an alias. */
        void removeAlias(String model, String alias);

        /** Appends one move to the alias history. */
        void appendAliasChange(AliasChange change);

        /** The moves of one alias, oldest first. */
        List<AliasChange> aliasHistory(String model, String alias);

        /** The newest audit entry, if any. */
        Optional<AuditEntry> lastAuditEntry();

        /**
         * Appends an audit entry and records {@code "<seq>:<hash>"} as the audit head, so a verification can tell
         * entries removed from the end. The store must refuse later updates and deletes of audit entries.
         */
        void appendAudit(AuditEntry entry);

        /** Every audit entry, by sequence number. */
        List<AuditEntry> auditLog();

        /** The head recorded by the last {@link #appendAudit}, if any. */
        Optional<String> auditHead();
    }

    /**
     * A registered model as stored.
     *
     * @param name        the name
     * @param description the description, {@code ""} when unset
     * @param created     when it was registered (millisecond precision)
     */
    record ModelRow(String name, String description, Instant created) {
        public ModelRow {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(created, "created");
        }
    }

    /**
     * A model version as stored.
     *
     * @param model            the model
     * @param version          its number, 1, 2, ...
     * @param runId            the run whose artifact it was created from
     * @param artifactPath     the artifact path within that run
     * @param flavor           the flavor name
     * @param signatureJson    the signature as JSON, or {@code null}
     * @param inputExampleJson the input example rows as a JSON array
     * @param description      the description, {@code ""} when unset
     * @param created          when it was created (millisecond precision)
     * @param archived         the legacy ARCHIVED mark
     * @param filesJson        its files (path, sha256, size) as a JSON array
     */
    record VersionRow(String model, int version, String runId, String artifactPath, String flavor,
                      String signatureJson, String inputExampleJson, String description, Instant created,
                      boolean archived, String filesJson) {
        public VersionRow {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(artifactPath, "artifactPath");
            Objects.requireNonNull(flavor, "flavor");
            Objects.requireNonNull(inputExampleJson, "inputExampleJson");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(created, "created");
            Objects.requireNonNull(filesJson, "filesJson");
        }
    }
}
