/**
 * The PostgreSQL tracking store: JDBC over a HikariCP pool, the filter translated to SQL with bound parameters,
 * and the versioned schema migrations shipped as SQL resources in this package.
 */
package dev.mlops.registry.postgres.internal;
