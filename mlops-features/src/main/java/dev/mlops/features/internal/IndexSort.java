package dev.mlops.features.internal;

/** A stable sort of row indexes by two primitive long keys, with no boxing. */
final class IndexSort {

    private IndexSort() {
    }

    /** Sorts {@code idx[from, to)} by ({@code a[i]}, {@code b[i]}); {@code tmp} is scratch of idx's length. */
    static void sort(int[] idx, int from, int to, long[] a, long[] b, int[] tmp) {
        if (isSorted(idx, from, to, a, b)) {
            return;
        }
        mergeSort(idx, from, to, a, b, tmp);
    }

    private static boolean isSorted(int[] idx, int from, int to, long[] a, long[] b) {
        for (int i = from + 1; i < to; i++) {
            if (less(idx[i], idx[i - 1], a, b)) {
                return false;
            }
        }
        return true;
    }

    private static boolean less(int x, int y, long[] a, long[] b) {
        return a[x] < a[y] || (a[x] == a[y] && b[x] < b[y]);
    }

    private static void mergeSort(int[] idx, int from, int to, long[] a, long[] b, int[] tmp) {
        if (to - from <= 24) {
            for (int i = from + 1; i < to; i++) {
                int v = idx[i];
                int j = i - 1;
                while (j >= from && less(v, idx[j], a, b)) {
                    idx[j + 1] = idx[j];
                    j--;
                }
                idx[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(idx, from, mid, a, b, tmp);
        mergeSort(idx, mid, to, a, b, tmp);
        if (!less(idx[mid], idx[mid - 1], a, b)) {
            return;
        }
        System.arraycopy(idx, from, tmp, from, to - from);
        int i = from;
        int j = mid;
        int k = from;
        while (i < mid && j < to) {
            idx[k++] = less(tmp[j], tmp[i], a, b) ? tmp[j++] : tmp[i++];
        }
        while (i < mid) {
            idx[k++] = tmp[i++];
        }
        while (j < to) {
            idx[k++] = tmp[j++];
        }
    }
}
