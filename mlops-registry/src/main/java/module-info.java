/**
 * Experiment tracking, the versioned model registry and in-process model serving.
 */
module dev.mlops.registry {
    requires dev.mlops.core;

    // No exports yet: javac rejects exporting a package that holds only package-info.java
    // ("package is empty or does not exist"). Export dev.mlops.registry (and its .spi package)
    // when the first type lands there; dev.mlops.registry.internal is never exported.
}
