package dev.mlops.features;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The offline rows of a feature view: a CSV or Parquet file holding the join key, the event timestamp,
 * optionally a created timestamp, and the feature columns. CSV timestamps must carry a zone offset;
 * Parquet timestamps must be UTC-adjusted ({@code TIMESTAMP WITH TIME ZONE}).
 *
 * @param path                   the file
 * @param format                 CSV or PARQUET
 * @param eventTimestampColumn   the column holding when the values were true
 * @param createdTimestampColumn the column holding when the row was written (ties and "as known at"), or
 *                               {@code null} if the source has none
 */
public record BatchSource(Path path, Format format, String eventTimestampColumn, String createdTimestampColumn) {

    /** File formats a batch source can have. */
    public enum Format { CSV, PARQUET }

    public BatchSource {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Names.check("event timestamp column", eventTimestampColumn);
        if (createdTimestampColumn != null) {
            Names.check("created timestamp column", createdTimestampColumn);
        }
    }

    /** A CSV file with {@code event_timestamp} and {@code created_timestamp} columns. */
    public static BatchSource csv(Path path) {
        return new BatchSource(path, Format.CSV, "event_timestamp", "created_timestamp");
    }

    /** A Parquet file with {@code event_timestamp} and {@code created_timestamp} columns. */
    public static BatchSource parquet(Path path) {
        return new BatchSource(path, Format.PARQUET, "event_timestamp", "created_timestamp");
    }

    /** CSV or Parquet by the file's extension ({@code .parquet} is Parquet, anything else CSV). */
    public static BatchSource of(Path path) {
        return path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet") ? parquet(path) : csv(path);
    }

    /** This source with other timestamp column names; {@code created} may be {@code null}. */
    public BatchSource withTimestampColumns(String event, String created) {
        return new BatchSource(path, format, event, created);
    }
}
