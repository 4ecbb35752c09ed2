/**
 * The shared types of the MLOps SDK: the columnar {@code Table}, CSV and JSON I/O, data validation,
 * content fingerprints, the exception hierarchy, and the extension interfaces through which the
 * capability modules meet without depending on each other.
 */
module dev.mlops.core {
    requires transitive org.slf4j;
    requires transitive micrometer.core;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires org.apache.commons.csv;

    exports dev.mlops.core;
    exports dev.mlops.core.table;
    exports dev.mlops.core.io;
    exports dev.mlops.core.validation;
    exports dev.mlops.core.spi;
    exports dev.mlops.core.flow;
    exports dev.mlops.core.http;

    // Jackson reads and writes the report and record types reflectively.
    opens dev.mlops.core.validation to com.fasterxml.jackson.databind;
    opens dev.mlops.core.spi to com.fasterxml.jackson.databind;
}
