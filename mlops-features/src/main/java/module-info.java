/**
 * Feature store: definitions, offline and online stores, materialization and serving.
 */
module dev.mlops.features {
    requires dev.mlops.core;

    // No exports yet: javac rejects exporting a package that holds only package-info.java
    // ("package is empty or does not exist"). Export dev.mlops.features (and its .spi package)
    // when the first type lands there; dev.mlops.features.internal is never exported.
}
