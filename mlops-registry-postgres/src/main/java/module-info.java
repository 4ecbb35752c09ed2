/**
 * The registry's tracking and registry stores on a shared PostgreSQL server.
 */
module dev.mlops.registry.postgres {
    requires transitive dev.mlops.registry;
    requires java.sql;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    requires org.slf4j;
    requires micrometer.core;

    exports dev.mlops.registry.postgres;
}
