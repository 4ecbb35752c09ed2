package dev.mlops.registry.spi;

import java.util.List;
import java.util.Objects;

/**
 * Translates a parsed {@link Filter} into an SQL WHERE clause over {@code runs r} with bound parameters, for
 * the relational {@link TrackingStore}s (SQLite embedded, PostgreSQL). Each metric/param/tag/dataset comparison
 * becomes {@code r.rid IN (SELECT rid FROM t WHERE key = ? AND ...)}: a non-correlated subquery over the
 * {@code (key, value)} index, so {@code and}/{@code or} trees cost one index range scan per comparison plus a
 * set probe per run. What differs between engines — boolean literals and how {@code like}/{@code ilike} are
 * spelled so that both engines give identical results — is a {@link Dialect}. Immutable and thread-safe.
 */
public final class SqlFilter {

    /** The parts of the SQL that differ between engines. */
    public interface Dialect {
        /** The literal of an empty {@code and} (always true). */
        String trueLiteral();

        /** The literal of an empty {@code or} (always false). */
        String falseLiteral();

        /**
         * Appends a match of {@code col} against the LIKE {@code pattern} ({@code %}, {@code _}, no escape
         * character), case-sensitive, or ignoring the case of ASCII letters only when {@code ignoreAsciiCase},
         * adding the bound parameters to {@code args}.
         */
        void like(String col, String pattern, boolean ignoreAsciiCase, StringBuilder sql, List<Object> args);
    }

    private final Dialect dialect;

    private SqlFilter(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /** A translator for one engine. */
    public static SqlFilter of(Dialect dialect) {
        return new SqlFilter(dialect);
    }

    /** Appends the WHERE condition of {@code f} to {@code sql} and its parameters to {@code args}. */
    public void where(Filter f, StringBuilder sql, List<Object> args) {
        switch (f) {
            case Filter.And and -> join(and.parts(), " AND ", dialect.trueLiteral(), sql, args);
            case Filter.Or or -> join(or.parts(), " OR ", dialect.falseLiteral(), sql, args);
            case Filter.Compare cmp -> compare(cmp, sql, args);
        }
    }

    private void join(List<Filter> parts, String op, String empty, StringBuilder sql, List<Object> args) {
        if (parts.isEmpty()) {
            sql.append(empty);
            return;
        }
        sql.append('(');
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sql.append(op);
            }
            where(parts.get(i), sql, args);
        }
        sql.append(')');
    }

    private static String table(Filter.Entity e) {
        return switch (e) {
            case METRIC -> "latest_metrics";
            case PARAM -> "params";
            case TAG -> "tags";
            case DATASET -> "datasets";
            case ATTRIBUTE -> throw new IllegalArgumentException("attributes have no table");
        };
    }

    private static String column(String attribute) {
        return switch (attribute) {
            case "run_id" -> "r.uuid";
            case "run_name" -> "r.name";
            case "status" -> "r.status";
            case "start_time" -> "r.start_time";
            case "end_time" -> "r.end_time";
            case "parent_run_id" -> "r.parent_uuid";
            default -> throw new IllegalArgumentException("unknown attribute '" + attribute + "'");
        };
    }

    private void compare(Filter.Compare cmp, StringBuilder sql, List<Object> args) {
        if (cmp.entity() == Filter.Entity.ATTRIBUTE) {
            String col = column(cmp.key());
            sql.append('(');
            condition(col, cmp.op(), cmp.values(), sql, args);
            sql.append(')');
            return;
        }
        String t = table(cmp.entity());
        switch (cmp.op()) {
            case IS_NULL -> sql.append("r.rid NOT IN (SELECT rid FROM ").append(t).append(" WHERE key = ?)");
            case IS_NOT_NULL -> sql.append("r.rid IN (SELECT rid FROM ").append(t).append(" WHERE key = ?)");
            default -> sql.append("r.rid IN (SELECT rid FROM ").append(t).append(" WHERE key = ? AND ");
        }
        args.add(cmp.key());
        if (cmp.op() != Filter.Op.IS_NULL && cmp.op() != Filter.Op.IS_NOT_NULL) {
            condition("value", cmp.op(), cmp.values(), sql, args);
            sql.append(')');
        }
    }

    private void condition(String col, Filter.Op op, List<Object> values, StringBuilder sql, List<Object> args) {
        switch (op) {
            case IS_NULL -> sql.append(col).append(" IS NULL");
            case IS_NOT_NULL -> sql.append(col).append(" IS NOT NULL");
            case EQ, NE, LT, LE, GT, GE -> {
                sql.append(col).append(switch (op) {
                    case EQ -> " = ?";
                    case NE -> " <> ?";
                    case LT -> " < ?";
                    case LE -> " <= ?";
                    case GT -> " > ?";
                    default -> " >= ?";
                });
                args.add(values.get(0));
            }
            case LIKE -> dialect.like(col, (String) values.get(0), false, sql, args);
            case ILIKE -> dialect.like(col, (String) values.get(0), true, sql, args);
            case NOT_LIKE, NOT_ILIKE -> {
                // NOT over a NULL column (an absent attribute) stays NULL, i.e. false, as for != and not in
                sql.append("NOT (");
                dialect.like(col, (String) values.get(0), op == Filter.Op.NOT_ILIKE, sql, args);
                sql.append(')');
            }
            case IN, NOT_IN -> {
                sql.append(col).append(op == Filter.Op.IN ? " IN (" : " NOT IN (");
                for (int i = 0; i < values.size(); i++) {
                    sql.append(i == 0 ? "?" : ", ?");
                    args.add(values.get(i));
                }
                sql.append(')');
            }
        }
    }

    /** The SQL expression to order by, appending its parameters. */
    public String orderExpression(Filter.OrderBy o, List<Object> args) {
        if (o.entity() == Filter.Entity.ATTRIBUTE) {
            return column(o.key());
        }
        args.add(o.key());
        return "(SELECT value FROM " + table(o.entity()) + " WHERE rid = r.rid AND key = ?)";
    }
}
