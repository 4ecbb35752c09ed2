/**
 * Experiment tracking, the versioned model registry and in-process model serving.
 */
module dev.mlops.registry {
    requires transitive dev.mlops.core;
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    exports dev.mlops.registry;
    exports dev.mlops.registry.spi;
}
