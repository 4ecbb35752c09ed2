package dev.mlops.registry.internal;

import java.util.Collection;
import java.util.Locale;

/** Small helpers for error messages. */
final class Names {

    private Names() {
    }

    /** {@code "; did you mean 'x'?"} for the closest candidate within edit distance 2, else {@code ""}. */
    static String suggest(String name, Collection<String> candidates) {
        String best = null;
        int bestD = 3;
        for (String c : candidates) {
            int d = distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestD && d < name.length()) {
                best = c;
                bestD = d;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1),
                        Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
