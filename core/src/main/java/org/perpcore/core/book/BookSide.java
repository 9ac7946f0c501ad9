package org.perpcore.core.book;

import java.util.Arrays;

/**
 * One side of a book: its price levels in a sorted array, best price last. Keys are the price for bids and the
 * negated price for asks, so both sides keep ascending keys and the best level at the end.
 *
 * <p>Why a sorted array: trading happens at and near the touch, and there an insert or a removal moves only the
 * few better levels, with no node objects and no pointer chasing; finding a level is a binary search. The cost
 * of a new level deep in the book is a copy of the levels better than it (a few microseconds for ten thousand
 * levels), which is the price paid for the fast common case.
 */
public final class BookSide {
    private static final int SCAN_LEVELS = 8;

    private final boolean bids;
    private long[] keys = new long[64];
    private int[] levels = new int[64];
    private int size;

    BookSide(boolean bids) {
        this.bids = bids;
    }

    public boolean isBids() {
        return bids;
    }

    /** Number of price levels. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The best level's handle, or {@link OrderStore#NONE}. */
    public int best() {
        return size == 0 ? OrderStore.NONE : levels[size - 1];
    }

    /** The level {@code depth} places behind the best (0 = best). */
    public int levelAtDepth(int depth) {
        return levels[size - 1 - depth];
    }

    private long key(long priceTicks) {
        return bids ? priceTicks : -priceTicks;
    }

    /**
     * Index of the level at this price, or {@code -(insertionPoint) - 1}, as {@link Arrays#binarySearch}. Orders
     * arrive at and near the touch, so the best {@value #SCAN_LEVELS} levels are scanned first, from the best down:
     * a scan of a few levels costs one mispredicted branch where a binary search costs several.
     */
    private int indexOf(long priceTicks) {
        final long key = key(priceTicks);
        final long[] k = keys;
        final int stop = Math.max(0, size - SCAN_LEVELS);
        for (int i = size - 1; i >= stop; i--) {
            final long ki = k[i];
            if (ki == key) {
                return i;
            }
            if (ki < key) {
                return -(i + 1) - 1;
            }
        }
        return Arrays.binarySearch(k, 0, stop, key);
    }

    /** The level at this price, or {@link OrderStore#NONE}. */
    public int find(long priceTicks) {
        final int i = indexOf(priceTicks);
        return i >= 0 ? levels[i] : OrderStore.NONE;
    }

    void insert(long priceTicks, int level) {
        final int i = indexOf(priceTicks);
        final int at = -i - 1;
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            levels = Arrays.copyOf(levels, size * 2);
        }
        final int tailLength = size - at;
        if (tailLength > 0) {
            System.arraycopy(keys, at, keys, at + 1, tailLength);
            System.arraycopy(levels, at, levels, at + 1, tailLength);
        }
        keys[at] = key(priceTicks);
        levels[at] = level;
        size++;
    }

    void remove(long priceTicks) {
        final int i = indexOf(priceTicks);
        final int tailLength = size - i - 1;
        if (tailLength > 0) {
            System.arraycopy(keys, i + 1, keys, i, tailLength);
            System.arraycopy(levels, i + 1, levels, i, tailLength);
        }
        size--;
    }
}
