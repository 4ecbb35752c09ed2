package dev.mlops.core;

import java.io.Serial;
import java.util.Collection;

/** A table or schema has no column of the requested name; the message lists the columns it does have. */
public class ColumnNotFoundException extends NotFoundException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param name      the requested column
     * @param available the columns that exist, in schema order
     */
    public ColumnNotFoundException(String name, Collection<String> available) {
        super("column", name, available);
    }
}
