/**
 * The registry's tracking store on a shared PostgreSQL server.
 */
module dev.mlops.registry.postgres {
    requires transitive dev.mlops.registry;
    requires java.sql;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    requires org.slf4j;

    exports dev.mlops.registry.postgres;
}
