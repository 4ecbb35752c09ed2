package dev.mlops.drift;

import dev.mlops.core.table.Table;
import dev.mlops.drift.internal.DefaultReferenceProfile;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * A reference prepared once and reused for every later check: per column its sorted values (numeric) or
 * category counts (categorical), kept exactly, so a check against a profile gives the same report as a check
 * against the reference table, without re-reading or re-sorting it. Profiles of partitions merge into the
 * profile of their union (merged sorted values, summed counts: exact, no sketch error). Immutable.
 *
 * <pre>{@code
 * ReferenceProfile profile = ReferenceProfile.of(trainingTable, List.of("season"));
 * profile.save(Path.of("reference.profile"));                        // atomic
 * ReferenceProfile again = ReferenceProfile.load(Path.of("reference.profile"));
 * DriftReport r = DriftDetector.builder().build().compare(again, currentWindow);
 * ReferenceProfile all = profileOfJanuary.merge(profileOfFebruary);
 * }</pre>
 *
 * <p>Columns are chosen as by {@link DriftDetector}: DOUBLE and LONG numeric, STRING and BOOLEAN categorical,
 * those listed categorical whatever their type, TIMESTAMP left out. The file format is a versioned binary
 * layout ({@code MLDP} magic, version 1) written to a temporary file, forced to disk and renamed over the
 * target, so a crash leaves the old file or the new one, never half of one; a damaged file fails to load with
 * {@link dev.mlops.core.StoreCorruptedException}.
 */
public interface ReferenceProfile {

    /** The profile of {@code reference}, with the given columns categorical. */
    static ReferenceProfile of(Table reference, Collection<String> categorical) {
        return DefaultReferenceProfile.of(reference, categorical);
    }

    /** Reads a profile written by {@link #save}. */
    static ReferenceProfile load(Path file) {
        return DefaultReferenceProfile.load(file);
    }

    /** Writes this profile atomically to {@code file}. */
    void save(Path file);

    /** The profile of both references together; both need the same columns with the same kinds. */
    ReferenceProfile merge(ReferenceProfile other);

    /** Rows of the reference(s) profiled. */
    long rows();

    /** The profiled columns, in order. */
    List<String> columns();

    /** How {@code column} is tested. */
    ColumnKind kind(String column);
}
