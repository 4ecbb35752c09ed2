package dev.mlops.features;

import dev.mlops.core.table.ColumnType;
import java.util.Objects;

/**
 * An entity: the thing features describe, identified by its join key column (a station, a user).
 *
 * @param name    the entity name, unique in a {@link Definitions}
 * @param joinKey the key column name in entity rows and in feature view sources
 * @param keyType {@link ColumnType#STRING} or {@link ColumnType#LONG}
 */
public record Entity(String name, String joinKey, ColumnType keyType) {

    public Entity {
        Names.check("entity name", name);
        Names.check("join key", joinKey);
        Objects.requireNonNull(keyType, "keyType");
        if (keyType != ColumnType.STRING && keyType != ColumnType.LONG) {
            throw new IllegalArgumentException("keyType of entity '" + name + "' must be STRING or LONG, got " + keyType);
        }
    }

    /** An entity with the given join key. */
    public static Entity of(String name, String joinKey, ColumnType keyType) {
        return new Entity(name, joinKey, keyType);
    }
}
