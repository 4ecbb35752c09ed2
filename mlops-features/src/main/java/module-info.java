/**
 * Feature store: definitions with plan and apply, point-in-time-correct offline joins, materialization
 * and the Chronicle Map online store.
 */
module dev.mlops.features {
    requires transitive dev.mlops.core;
    requires java.sql;
    requires chronicle.map;

    exports dev.mlops.features;
    exports dev.mlops.features.spi;
}
