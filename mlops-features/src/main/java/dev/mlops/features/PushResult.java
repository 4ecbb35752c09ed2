package dev.mlops.features;

import java.nio.file.Path;

/**
 * What a {@link FeatureStore#push} did.
 *
 * @param written    rows appended to the offline log (and, for an online view, written to the online store)
 * @param rejected   rows that failed validation
 * @param quarantine the CSV file holding the rejected rows with their reasons ({@code _row}, {@code _reasons}),
 *                   or {@code null} when none was rejected
 */
public record PushResult(int written, int rejected, Path quarantine) {
}
