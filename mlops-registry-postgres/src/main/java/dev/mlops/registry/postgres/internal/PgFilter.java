package dev.mlops.registry.postgres.internal;

import dev.mlops.registry.spi.Filter;
import java.util.List;

/**
 * Translates a {@link Filter} to a PostgreSQL WHERE clause over {@code runs r} with bound parameters, mirroring the
 * SQLite store: each metric/param/tag/dataset comparison is {@code r.rid IN (SELECT rid FROM t WHERE key = ? AND
 * ...)} over the {@code (key, value)} index. {@code like} is {@code LIKE ... ESCAPE ''} (case-sensitive, no escape
 * character, as SQLite's GLOB translation); {@code ilike} lowers ASCII only ({@code lower(x COLLATE "C")} and the
 * pattern lowered A-Z), as SQLite's {@code lower()}.
 */
final class PgFilter {

    private PgFilter() {
    }

    static void where(Filter f, StringBuilder sql, List<Object> args) {
        switch (f) {
            case Filter.And and -> join(and.parts(), " AND ", "TRUE", sql, args);
            case Filter.Or or -> join(or.parts(), " OR ", "FALSE", sql, args);
            case Filter.Compare cmp -> compare(cmp, sql, args);
        }
    }

    private static void join(List<Filter> parts, String op, String empty, StringBuilder sql, List<Object> args) {
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

    static String column(String attribute) {
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

    private static void compare(Filter.Compare cmp, StringBuilder sql, List<Object> args) {
        if (cmp.entity() == Filter.Entity.ATTRIBUTE) {
            sql.append('(');
            condition(column(cmp.key()), cmp.op(), cmp.values(), sql, args);
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

    private static void condition(String col, Filter.Op op, List<Object> values, StringBuilder sql, List<Object> args) {
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
            case LIKE -> {
                sql.append(col).append(" LIKE ? ESCAPE ''");
                args.add(values.get(0));
            }
            case ILIKE -> {
                sql.append("lower(").append(col).append(" COLLATE \"C\") LIKE ? ESCAPE ''");
                args.add(asciiLower((String) values.get(0)));
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

    static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
        }
        return b.toString();
    }

    /** The SQL expression to order by, appending its parameters. */
    static String orderExpression(Filter.OrderBy o, List<Object> args) {
        if (o.entity() == Filter.Entity.ATTRIBUTE) {
            return column(o.key());
        }
        args.add(o.key());
        return "(SELECT value FROM " + table(o.entity()) + " WHERE rid = r.rid AND key = ?)";
    }
}
