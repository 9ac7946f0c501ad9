package org.perpcore.core.book;

import java.util.Arrays;

/**
 * Price levels of all books, as parallel arrays indexed by an int handle: the level's price, its FIFO of orders
 * (head and tail handles into {@link OrderStore}), the number of orders and their total remaining lots.
 */
public final class LevelStore {
    private int capacity;
    private int highWater;
    private int freeHead = OrderStore.NONE;

    private long[] price;
    private long[] lots;
    private int[] head;
    private int[] tail;
    private int[] count;

    public LevelStore(int initialCapacity) {
        capacity = Math.max(16, initialCapacity);
        price = new long[capacity];
        lots = new long[capacity];
        head = new int[capacity];
        tail = new int[capacity];
        count = new int[capacity];
    }

    int allocate(long priceTicks) {
        final int h;
        if (freeHead != OrderStore.NONE) {
            h = freeHead;
            freeHead = head[h];
        } else {
            if (highWater == capacity) {
                grow();
            }
            h = highWater++;
        }
        price[h] = priceTicks;
        lots[h] = 0;
        head[h] = OrderStore.NONE;
        tail[h] = OrderStore.NONE;
        count[h] = 0;
        return h;
    }

    void free(int h) {
        head[h] = freeHead;
        freeHead = h;
    }

    private void grow() {
        final int n = capacity * 2;
        price = Arrays.copyOf(price, n);
        lots = Arrays.copyOf(lots, n);
        head = Arrays.copyOf(head, n);
        tail = Arrays.copyOf(tail, n);
        count = Arrays.copyOf(count, n);
        capacity = n;
    }

    public long price(int h) {
        return price[h];
    }

    public long lots(int h) {
        return lots[h];
    }

    void lots(int h, long v) {
        lots[h] = v;
    }

    public int head(int h) {
        return head[h];
    }

    void head(int h, int v) {
        head[h] = v;
    }

    public int tail(int h) {
        return tail[h];
    }

    void tail(int h, int v) {
        tail[h] = v;
    }

    public int count(int h) {
        return count[h];
    }

    void count(int h, int v) {
        count[h] = v;
    }
}
