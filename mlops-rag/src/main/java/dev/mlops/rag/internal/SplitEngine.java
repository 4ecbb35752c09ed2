package dev.mlops.rag.internal;

import dev.mlops.rag.TextSpan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The splitting algorithm shared by the character and token splitters (see
 * {@code RecursiveCharacterSplitter} for the exact rule). Boundaries are offsets where a separator
 * starts (the separator stays at the start of the following chunk, then chunks are trimmed).
 */
public final class SplitEngine {

    private final List<String> separators;
    private final int size;
    private final int overlap;
    private final ToIntFunction<String> length;

    public SplitEngine(List<String> separators, int size, int overlap, ToIntFunction<String> length) {
        this.separators = List.copyOf(separators);
        this.size = size;
        this.overlap = overlap;
        this.length = length;
    }

    public List<TextSpan> split(String text) {
        int n = text.length();
        // priority of each boundary: index of the coarsest separator starting there
        int levels = separators.size();
        int[] priority = new int[n + 1];
        Arrays.fill(priority, Integer.MAX_VALUE);
        for (int level = 0; level < levels; level++) {
            String sep = separators.get(level);
            if (sep.isEmpty()) {
                continue;
            }
            for (int p = text.indexOf(sep); p >= 0; p = text.indexOf(sep, p + 1)) {
                priority[p] = Math.min(priority[p], level);
            }
        }
        int[] bounds = java.util.stream.IntStream.rangeClosed(1, n).filter(p -> p < n && priority[p] != Integer.MAX_VALUE).toArray();
        List<TextSpan> out = new ArrayList<>();
        int s = 0;
        int prevEnd = 0;
        while (s < n) {
            int f = farthestFit(text, s, n);
            int e;
            if (f >= n) {
                e = n;
            } else {
                // the farthest boundary of the coarsest separator that has one in the second half of
                // [s, f] (and past the previous chunk's end, so each chunk reaches new text)
                int lo = firstAfter(bounds, Math.max(s, prevEnd));
                int half = s + (f - s + 1) / 2;
                int best = Integer.MAX_VALUE;
                int at = -1;
                int anyAt = -1;
                for (int i = lo; i < bounds.length && bounds[i] <= f; i++) {
                    anyAt = bounds[i];
                    if (bounds[i] >= half && priority[bounds[i]] <= best) {
                        best = priority[bounds[i]];
                        at = bounds[i];
                    }
                }
                if (at < 0) {
                    at = anyAt;
                }
                e = at > s ? at : f; // no separator fits: cut at characters
            }
            if (e <= s) {
                e = Math.min(n, s + Character.charCount(text.codePointAt(s)));
            }
            emit(text, s, e, out);
            prevEnd = e;
            if (e >= n) {
                break;
            }
            s = nextStart(text, bounds, s, e);
        }
        return out;
    }

    private int farthestFit(String text, int s, int n) {
        // both measures count at most one unit per char, so [s, s + size) always fits; gallop from there
        int lo = Math.min(n, s + size);
        if (lo >= n) {
            return n;
        }
        int step = Math.max(1, size);
        int hi = lo;
        while (true) {
            hi = Math.min(n, hi + step);
            if (!fits(text, s, hi)) {
                break;
            }
            lo = hi;
            if (hi >= n) {
                return n;
            }
            step *= 2;
        }
        // fits(lo), !fits(hi)
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (fits(text, s, mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return safe(text, lo);
    }

    /** Never cut a surrogate pair. */
    private static int safe(String text, int p) {
        return p < text.length() && p > 0 && Character.isLowSurrogate(text.charAt(p)) && Character.isHighSurrogate(text.charAt(p - 1)) ? p - 1 : p;
    }

    private boolean fits(String text, int s, int e) {
        return length.applyAsInt(text.substring(s, e)) <= size;
    }

    private int nextStart(String text, int[] bounds, int s, int e) {
        if (overlap == 0) {
            return e;
        }
        // the smallest separator boundary b in (s, e) whose suffix [b, e) is within the overlap
        int lo = firstAfter(bounds, s);
        int b = -1;
        int left = lo;
        int right = lo;
        while (right < bounds.length && bounds[right] < e) {
            right++;
        }
        // bounds[left..right) are in (s, e); length of [b, e) decreases with b: binary search
        int l = left;
        int r = right;
        while (l < r) {
            int mid = (l + r) >>> 1;
            if (length.applyAsInt(text.substring(bounds[mid], e)) <= overlap) {
                r = mid;
            } else {
                l = mid + 1;
            }
        }
        if (l < right) {
            b = bounds[l];
        }
        if (b < 0 || text.substring(b, e).isBlank()) {
            // no separator inside the overlap window: cut inside the word, at the smallest offset that fits
            int lo2 = s + 1;
            int hi2 = e;
            while (lo2 < hi2) {
                int mid = (lo2 + hi2) >>> 1;
                if (length.applyAsInt(text.substring(mid, e)) <= overlap) {
                    hi2 = mid;
                } else {
                    lo2 = mid + 1;
                }
            }
            b = safe(text, lo2);
        }
        return Math.max(b, s + 1);
    }

    private static int firstAfter(int[] bounds, int s) {
        int i = Arrays.binarySearch(bounds, s + 1);
        return i >= 0 ? i : -i - 1;
    }

    private static void emit(String text, int s, int e, List<TextSpan> out) {
        int a = s;
        int b = e;
        while (a < b && Character.isWhitespace(text.charAt(a))) {
            a++;
        }
        while (b > a && Character.isWhitespace(text.charAt(b - 1))) {
            b--;
        }
        if (b > a) {
            out.add(new TextSpan(text.substring(a, b), a));
        }
    }
}
