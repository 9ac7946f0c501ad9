package org.perpcore.core.trigger;

import java.util.Arrays;

/**
 * Orders waiting for a price to reach theirs, as a binary heap of primitives: the next one a price move meets is at
 * the top, so a move costs O(log n) per order it reaches and O(1) when it reaches none, however many wait.
 *
 * <p>{@code highestFirst}: the heap of orders a falling price reaches (they fire at or below their price), the
 * highest price on top. Otherwise the heap of orders a rising price reaches, the lowest on top. Equal prices come
 * out by their tie key ({@link HandleLinks#tie}, the order id: the older first), so the order in which orders leave
 * never depends on the order they came in. Each order's place in the heap is kept in {@link HandleLinks}, so a cancel
 * removes it in O(log n).
 *
 * <p>Single writer: the engine thread. No allocation except when the arrays grow.
 */
public final class PriceHeap {
    private final boolean highestFirst;
    private final HandleLinks links;
    private long[] price = new long[16];
    private long[] tie = new long[16];
    private int[] handle = new int[16];
    private int size;

    public PriceHeap(boolean highestFirst, HandleLinks links) {
        this.highestFirst = highestFirst;
        this.links = links;
    }

    public boolean highestFirst() {
        return highestFirst;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The handle on top; the heap must not be empty. */
    public int peek() {
        return handle[0];
    }

    /** The price on top; the heap must not be empty. */
    public long peekPrice() {
        return price[0];
    }

    /** True when a price range with this low (for a highest-first heap) or high reaches the top order. */
    public boolean reached(long lowE8, long highE8) {
        return size > 0 && (highestFirst ? price[0] >= lowE8 : price[0] <= highE8);
    }

    /** The i-th entry in heap order (for checks that walk every entry). */
    public int handleAt(int i) {
        return handle[i];
    }

    public long priceAt(int i) {
        return price[i];
    }

    /** Adds an order at {@code priceE8}; its tie key is read from the links. */
    public void add(int h, long priceE8) {
        if (size == price.length) {
            final int n = size * 2;
            price = Arrays.copyOf(price, n);
            tie = Arrays.copyOf(tie, n);
            handle = Arrays.copyOf(handle, n);
        }
        final int i = size++;
        price[i] = priceE8;
        tie[i] = links.tie(h);
        handle[i] = h;
        links.slot(h, i);
        up(i);
    }

    /** Removes and returns the top handle; the heap must not be empty. */
    public int poll() {
        final int top = handle[0];
        removeAt(0);
        return top;
    }

    /** Removes the order {@code h}, which this heap holds. */
    public void remove(int h) {
        removeAt(links.slot(h));
    }

    private void removeAt(int i) {
        links.slot(handle[i], HandleLinks.NONE);
        final int last = --size;
        if (i == last) {
            return;
        }
        move(last, i);
        down(up(i));
    }

    private boolean before(int a, int b) {
        if (price[a] != price[b]) {
            return highestFirst ? price[a] > price[b] : price[a] < price[b];
        }
        return tie[a] < tie[b];
    }

    private void move(int from, int to) {
        price[to] = price[from];
        tie[to] = tie[from];
        handle[to] = handle[from];
        links.slot(handle[to], to);
    }

    private int up(int i) {
        final long p = price[i];
        final long t = tie[i];
        final int h = handle[i];
        while (i > 0) {
            final int parent = (i - 1) >>> 1;
            final boolean earlier = p != price[parent]
                ? (highestFirst ? p > price[parent] : p < price[parent]) : t < tie[parent];
            if (!earlier) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        price[i] = p;
        tie[i] = t;
        handle[i] = h;
        links.slot(h, i);
        return i;
    }

    private void down(int i) {
        final long p = price[i];
        final long t = tie[i];
        final int h = handle[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(child + 1, child)) {
                child++;
            }
            final boolean childEarlier = price[child] != p
                ? (highestFirst ? price[child] > p : price[child] < p) : tie[child] < t;
            if (!childEarlier) {
                break;
            }
            move(child, i);
            i = child;
        }
        price[i] = p;
        tie[i] = t;
        handle[i] = h;
        links.slot(h, i);
    }
}
