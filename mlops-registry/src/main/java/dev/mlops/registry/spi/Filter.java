package dev.mlops.registry.spi;

import java.util.List;
import java.util.Objects;

/**
 * A parsed, type-checked run filter, as a store receives it. Semantics every store must implement:
 * a comparison on a key the run lacks is false (so is a comparison with a NaN metric), except
 * {@link Op#IS_NULL}, which is true exactly when the key is absent; {@code like} is case-sensitive with
 * {@code %} (any run of characters) and {@code _} (one character); {@code ilike} ignores ASCII case;
 * {@link Op#NOT_LIKE}/{@link Op#NOT_ILIKE} are their negations over runs that have the key (like {@code !=} and
 * {@code not in}, they are false when the key is absent).
 */
public sealed interface Filter {

    /** Matches every run. */
    Filter ALL = new And(List.of());

    /** What a comparison looks at. */
    enum Entity {
        METRIC, PARAM, TAG, DATASET, ATTRIBUTE;

        /** Whether comparisons of this entity's {@code key} take numbers. */
        public boolean numeric(String key) {
            return this == METRIC || (this == ATTRIBUTE && (key.equals("start_time") || key.equals("end_time")));
        }
    }

    /** Comparison operators. */
    enum Op { EQ, NE, LT, LE, GT, GE, LIKE, ILIKE, NOT_LIKE, NOT_ILIKE, IN, NOT_IN, IS_NULL, IS_NOT_NULL }

    /** All parts match; the empty conjunction matches every run. */
    record And(List<Filter> parts) implements Filter {
        public And {
            parts = List.copyOf(parts);
        }
    }

    /** At least one part matches. */
    record Or(List<Filter> parts) implements Filter {
        public Or {
            parts = List.copyOf(parts);
        }
    }

    /**
     * One comparison.
     *
     * @param entity what is compared
     * @param key    the metric/param/tag/dataset key, or the attribute name ({@code run_id, run_name, status,
     *               start_time, end_time, parent_run_id})
     * @param op     the operator
     * @param values the operands: none for the null tests, one or more for {@code in}, else one; each a
     *               {@link Double} when {@link Entity#numeric} says so (times are epoch milliseconds), else a
     *               {@link String}
     */
    record Compare(Entity entity, String key, Op op, List<Object> values) implements Filter {
        public Compare {
            Objects.requireNonNull(entity, "entity");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(op, "op");
            values = List.copyOf(values);
        }
    }

    /**
     * One order-by clause.
     *
     * @param entity    what to order by
     * @param key       its key or attribute name
     * @param ascending the direction; runs lacking the key sort last either way
     */
    record OrderBy(Entity entity, String key, boolean ascending) {
        public OrderBy {
            Objects.requireNonNull(entity, "entity");
            Objects.requireNonNull(key, "key");
        }
    }
}
