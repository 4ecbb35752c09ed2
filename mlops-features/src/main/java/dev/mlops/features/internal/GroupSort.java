package dev.mlops.features.internal;

/**
 * Sorts each key group of a {@link SortedView} by (event, created) time, stably, on arrays already laid
 * out in group order, so every comparison reads neighbouring memory.
 */
final class GroupSort {

    private GroupSort() {
    }

    /**
     * Sorts, for every group {@code g < groups}, the positions {@code [start[g], start[g + 1])} of
     * {@code order}, {@code ev} and {@code cr} together by ({@code ev}, {@code cr}); equal times keep their
     * order (a stable sort), exactly as sorting the row numbers stably by their times would.
     */
    static void sortGroups(int[] start, int groups, int[] order, long[] ev, long[] cr) {
        int[] pos = null;
        int[] tmp = null;
        int[] ordScratch = null;
        long[] evScratch = null;
        long[] crScratch = null;
        for (int g = 0; g < groups; g++) {
            int from = start[g];
            int to = start[g + 1];
            if (isSorted(from, to, ev, cr)) {
                continue;
            }
            int len = to - from;
            if (pos == null || pos.length < len) {
                int cap = Math.max(len, 64);
                pos = new int[cap];
                tmp = new int[cap];
                ordScratch = new int[cap];
                evScratch = new long[cap];
                crScratch = new long[cap];
            }
            for (int i = 0; i < len; i++) {
                pos[i] = from + i;
            }
            IndexSort.sort(pos, 0, len, ev, cr, tmp);
            for (int i = 0; i < len; i++) {
                int p = pos[i];
                ordScratch[i] = order[p];
                evScratch[i] = ev[p];
                crScratch[i] = cr[p];
            }
            System.arraycopy(ordScratch, 0, order, from, len);
            System.arraycopy(evScratch, 0, ev, from, len);
            System.arraycopy(crScratch, 0, cr, from, len);
        }
    }

    private static boolean isSorted(int from, int to, long[] ev, long[] cr) {
        for (int i = from + 1; i < to; i++) {
            if (ev[i] < ev[i - 1] || (ev[i] == ev[i - 1] && cr[i] < cr[i - 1])) {
                return false;
            }
        }
        return true;
    }
}
