/**
 * JMH benchmarks of the capability modules; run from the shaded {@code target/benchmarks.jar}.
 */
module dev.mlops.benchmarks {
    requires dev.mlops.core;
    requires dev.mlops.registry;
    requires dev.mlops.registry.postgres;
    requires org.tribuo.classification.sgd;
    requires dev.mlops.drift;
    requires dev.mlops.features;
    requires dev.mlops.features.redis;
    requires dev.mlops.rag;
    requires com.microsoft.onnxruntime; // RagEmbeddingBenchmark calls onnxruntime directly as the floor
    requires jmh.core;
    requires java.sql;
    requires jdk.management; // allocation counter of StreamingDetectorBenchmark
    requires redis.clients.jedis;
    requires java.net.http;
}
