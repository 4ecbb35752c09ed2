package dev.mlops.features;

import java.util.regex.Pattern;

/** Checks the names of definitions: they become file names, map names and column prefixes. */
final class Names {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private Names() {
    }

    static String check(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must match " + NAME.pattern() + " (letters, digits, '_'), got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        return name;
    }
}
