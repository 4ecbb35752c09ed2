/**
 * Runnable end-to-end scenarios and the {@code mlops} command line, wired from every capability
 * module.
 */
module dev.mlops.examples {
    requires dev.mlops.core;
    requires dev.mlops.registry;
    requires org.tribuo.classification.sgd; // the registry demo trains a Tribuo model
    requires org.tribuo.math;
    requires org.tribuo.classification.dtree; // the random forest of ContinuousTrainingDemo
    requires org.tribuo.common.tree;
    requires org.tribuo.regression.core; // the bike demand regressor of RealTimeFeaturesDemo
    requires org.tribuo.regression.rtree;
    requires info.picocli;
    requires dev.mlops.drift;
    requires dev.mlops.features;
    requires dev.mlops.rag;
    requires dev.mlops.dashboard; // the `mlops dashboard` command
    requires java.logging; // Main quiets Tribuo's INFO logging on the command line

    opens dev.mlops.examples to info.picocli; // picocli reads the commands' annotated fields reflectively
}
