package org.perpcore.core.engine;

import java.util.Arrays;

/** A reusable growable int list for the engine thread's scratch work (no boxing, grows only). */
final class IntArrayScratch {
    private int[] values = new int[64];
    private int size;

    void clear() {
        size = 0;
    }

    void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    int size() {
        return size;
    }

    int get(int i) {
        return values[i];
    }
}
