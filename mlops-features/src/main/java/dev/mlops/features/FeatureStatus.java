package dev.mlops.features;

/** What an online read found for one feature of one entity. */
public enum FeatureStatus {
    /** A value, within the view's TTL. */
    PRESENT,
    /** No row for the entity in the online store (never materialized, or materialized only in the future). */
    NOT_FOUND,
    /** A row within the TTL whose value for this feature is null. */
    NULL_VALUE,
    /** A row older than the view's TTL at read time; its value is withheld (null), as the offline join would. */
    OUTSIDE_MAX_AGE
}
