/**
 * Experiment tracking, the versioned model registry and in-process model serving.
 */
module dev.mlops.registry {
    requires transitive dev.mlops.core;
    requires java.sql;
    requires org.xerial.sqlitejdbc;
    requires transitive org.tribuo.core;
    requires transitive org.tribuo.classification.core;
    requires transitive org.tribuo.regression.core;
    requires com.oracle.labs.mlrg.olcut;
    requires jdk.httpserver;
    requires com.microsoft.onnxruntime;

    exports dev.mlops.registry;
    exports dev.mlops.registry.spi;
    exports dev.mlops.registry.serving;
}
