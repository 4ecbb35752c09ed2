package dev.mlops.core.table;

import dev.mlops.core.ColumnNotFoundException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The ordered, named and typed columns of a {@link Table}. Immutable; names are unique. */
public final class Schema implements Iterable<Field> {

    private final List<Field> fields;
    private final Map<String, Integer> index;

    private Schema(List<Field> fields) {
        this.fields = List.copyOf(fields);
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < this.fields.size(); i++) {
            Field f = this.fields.get(i);
            if (idx.putIfAbsent(f.name(), i) != null) {
                throw new IllegalArgumentException("duplicate column name '" + f.name() + "' at positions "
                        + idx.get(f.name()) + " and " + i + "; column names must be unique");
            }
        }
        this.index = Collections.unmodifiableMap(idx);
    }

    public static Schema of(Field... fields) {
        return new Schema(List.of(fields));
    }

    public static Schema of(List<Field> fields) {
        return new Schema(fields);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of columns. */
    public int size() {
        return fields.size();
    }

    public List<Field> fields() {
        return fields;
    }

    public List<String> names() {
        return fields.stream().map(Field::name).toList();
    }

    public Field field(int position) {
        return fields.get(position);
    }

    /**
     * The field called {@code name}.
     *
     * @throws ColumnNotFoundException listing the columns that exist
     */
    public Field field(String name) {
        return fields.get(position(name));
    }

    /**
     * The position of the column called {@code name}.
     *
     * @throws ColumnNotFoundException listing the columns that exist
     */
    public int position(String name) {
        Integer i = index.get(Objects.requireNonNull(name, "name"));
        if (i == null) {
            throw new ColumnNotFoundException(name, names());
        }
        return i;
    }

    /** The position of {@code name}, or {@code -1}. */
    public int indexOf(String name) {
        return index.getOrDefault(name, -1);
    }

    public boolean contains(String name) {
        return index.containsKey(name);
    }

    /** A schema of the named columns, in the order given. */
    public Schema select(List<String> names) {
        List<Field> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(field(n));
        }
        return new Schema(out);
    }

    @Override
    public Iterator<Field> iterator() {
        return fields.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema s && s.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }

    /** Collects fields in order. */
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();

        private Builder() {
        }

        /** Adds a non-nullable column. */
        public Builder add(String name, ColumnType type) {
            fields.add(Field.of(name, type));
            return this;
        }

        /** Adds a nullable column. */
        public Builder addNullable(String name, ColumnType type) {
            fields.add(Field.nullable(name, type));
            return this;
        }

        public Builder add(Field field) {
            fields.add(Objects.requireNonNull(field, "field"));
            return this;
        }

        public Schema build() {
            return new Schema(fields);
        }
    }
}
