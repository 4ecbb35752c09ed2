/**
 * The monitoring dashboard: HTML pages over the flow history, the registry, serving traffic, drift, RAG and the
 * feature store, served by the JDK's HTTP server behind a bearer token.
 */
module dev.mlops.dashboard {
    requires transitive dev.mlops.core;
    requires transitive dev.mlops.registry;
    requires transitive dev.mlops.drift;
    requires transitive dev.mlops.features;
    requires transitive dev.mlops.rag;
    requires jdk.httpserver;

    exports dev.mlops.dashboard;
}
