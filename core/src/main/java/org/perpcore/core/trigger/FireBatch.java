package org.perpcore.core.trigger;

import java.util.Arrays;

/**
 * The orders one evaluation found crossed, each with the trigger price that fired it and its tie key, appended by
 * the trigger structures and then put in firing order segment by segment ({@link #sort}). Reused from evaluation to
 * evaluation; sorting is in place (heapsort on the parallel arrays), so a batch allocates only when it grows.
 *
 * <p>Single writer: the engine thread.
 */
public final class FireBatch {
    private int[] handle = new int[64];
    private long[] trigger = new long[64];
    private long[] tie = new long[64];
    private int size;

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public int handle(int i) {
        return handle[i];
    }

    public long trigger(int i) {
        return trigger[i];
    }

    public long tie(int i) {
        return tie[i];
    }

    public void add(int h, long triggerE8, long tieKey) {
        if (size == handle.length) {
            final int n = size * 2;
            handle = Arrays.copyOf(handle, n);
            trigger = Arrays.copyOf(trigger, n);
            tie = Arrays.copyOf(tie, n);
        }
        handle[size] = h;
        trigger[size] = triggerE8;
        tie[size] = tieKey;
        size++;
    }

    /**
     * Sorts entries {@code [from, to)} by trigger price, highest first when {@code highestFirst} (the order in which
     * a falling price meets them) else lowest first, then by tie key ascending (the older order first).
     */
    public void sort(int from, int to, boolean highestFirst) {
        final int n = to - from;
        if (n < 2) {
            return;
        }
        // heapsort: build a heap whose root is the entry that must come LAST, then move roots to the end
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(from, i, n, highestFirst);
        }
        for (int end = n - 1; end > 0; end--) {
            swap(from, from + end);
            siftDown(from, 0, end, highestFirst);
        }
    }

    /** True when entry a must fire after entry b. */
    private boolean later(int a, int b, boolean highestFirst) {
        if (trigger[a] != trigger[b]) {
            return highestFirst ? trigger[a] < trigger[b] : trigger[a] > trigger[b];
        }
        return tie[a] > tie[b];
    }

    private void siftDown(int base, int i, int n, boolean highestFirst) {
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                return;
            }
            if (child + 1 < n && later(base + child + 1, base + child, highestFirst)) {
                child++;
            }
            if (!later(base + child, base + i, highestFirst)) {
                return;
            }
            swap(base + i, base + child);
            i = child;
        }
    }

    private void swap(int a, int b) {
        final int h = handle[a];
        handle[a] = handle[b];
        handle[b] = h;
        final long t = trigger[a];
        trigger[a] = trigger[b];
        trigger[b] = t;
        final long k = tie[a];
        tie[a] = tie[b];
        tie[b] = k;
    }
}
