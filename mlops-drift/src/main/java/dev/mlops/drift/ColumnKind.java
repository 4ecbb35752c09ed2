package dev.mlops.drift;

/** How a column is tested: by its numeric values or by its categories. */
public enum ColumnKind {
    /** DOUBLE or LONG columns (unless declared categorical). */
    NUMERIC("numeric"),
    /** STRING and BOOLEAN columns, and any column declared categorical. */
    CATEGORICAL("categorical");

    private final String id;

    ColumnKind(String id) {
        this.id = id;
    }

    /** {@code "numeric"} or {@code "categorical"}, as in the JSON report. */
    public String id() {
        return id;
    }
}
