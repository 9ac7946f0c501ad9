package org.perpcore.core.book;

import java.util.Arrays;

/**
 * Every live order of the engine, stored as parallel primitive arrays indexed by an int handle (structure of
 * arrays: no object per order, nothing for the collector to trace, about 100 bytes an order). Freed handles are
 * reused through a free list threaded through {@code next}. Grows by doubling; growing is the only allocation.
 *
 * <p>Links: {@code prev/next} chain the orders of one price level in time priority; {@code accPrev/accNext} chain
 * an account's open orders in placement order.
 */
public final class OrderStore {
    public static final int NONE = -1;

    /** Flag bit: reduce-only. */
    public static final int FLAG_REDUCE_ONLY = 1;

    private int capacity;
    private int highWater;
    private int freeHead = NONE;
    private int live;

    private long[] orderId;
    private long[] priceTicks;
    private long[] origLots;
    private long[] execLots;
    private long[] cumQuoteE8;
    private long[] timeMs;
    private int[] account;
    private int[] market;
    private int[] prev;
    private int[] next;
    private int[] accPrev;
    private int[] accNext;
    private int[] level;
    private int[] clientEntry;
    private byte[] side;
    private byte[] type;
    private byte[] tif;
    private byte[] flags;
    private byte[] stp;

    public OrderStore(int initialCapacity) {
        capacity = Math.max(16, initialCapacity);
        orderId = new long[capacity];
        priceTicks = new long[capacity];
        origLots = new long[capacity];
        execLots = new long[capacity];
        cumQuoteE8 = new long[capacity];
        timeMs = new long[capacity];
        account = new int[capacity];
        market = new int[capacity];
        prev = new int[capacity];
        next = new int[capacity];
        accPrev = new int[capacity];
        accNext = new int[capacity];
        level = new int[capacity];
        clientEntry = new int[capacity];
        side = new byte[capacity];
        type = new byte[capacity];
        tif = new byte[capacity];
        flags = new byte[capacity];
        stp = new byte[capacity];
    }

    /** A fresh handle with every link cleared. */
    public int allocate() {
        final int h;
        if (freeHead != NONE) {
            h = freeHead;
            freeHead = next[h];
        } else {
            if (highWater == capacity) {
                grow();
            }
            h = highWater++;
        }
        prev[h] = NONE;
        next[h] = NONE;
        accPrev[h] = NONE;
        accNext[h] = NONE;
        level[h] = NONE;
        clientEntry[h] = NONE;
        execLots[h] = 0;
        cumQuoteE8[h] = 0;
        flags[h] = 0;
        live++;
        return h;
    }

    public void free(int h) {
        orderId[h] = 0;
        next[h] = freeHead;
        freeHead = h;
        live--;
    }

    /** Live orders. */
    public int live() {
        return live;
    }

    /** Handles below this have been used; a handle is live when {@link #orderId} is non zero. */
    public int highWater() {
        return highWater;
    }

    public int capacity() {
        return capacity;
    }

    private void grow() {
        final int n = capacity * 2;
        orderId = Arrays.copyOf(orderId, n);
        priceTicks = Arrays.copyOf(priceTicks, n);
        origLots = Arrays.copyOf(origLots, n);
        execLots = Arrays.copyOf(execLots, n);
        cumQuoteE8 = Arrays.copyOf(cumQuoteE8, n);
        timeMs = Arrays.copyOf(timeMs, n);
        account = Arrays.copyOf(account, n);
        market = Arrays.copyOf(market, n);
        prev = Arrays.copyOf(prev, n);
        next = Arrays.copyOf(next, n);
        accPrev = Arrays.copyOf(accPrev, n);
        accNext = Arrays.copyOf(accNext, n);
        level = Arrays.copyOf(level, n);
        clientEntry = Arrays.copyOf(clientEntry, n);
        side = Arrays.copyOf(side, n);
        type = Arrays.copyOf(type, n);
        tif = Arrays.copyOf(tif, n);
        flags = Arrays.copyOf(flags, n);
        stp = Arrays.copyOf(stp, n);
        capacity = n;
    }

    public long orderId(int h) {
        return orderId[h];
    }

    public void orderId(int h, long v) {
        orderId[h] = v;
    }

    public long price(int h) {
        return priceTicks[h];
    }

    public void price(int h, long ticks) {
        priceTicks[h] = ticks;
    }

    public long origLots(int h) {
        return origLots[h];
    }

    public void origLots(int h, long v) {
        origLots[h] = v;
    }

    public long execLots(int h) {
        return execLots[h];
    }

    public void execLots(int h, long v) {
        execLots[h] = v;
    }

    public long remainingLots(int h) {
        return origLots[h] - execLots[h];
    }

    public long cumQuote(int h) {
        return cumQuoteE8[h];
    }

    public void cumQuote(int h, long e8) {
        cumQuoteE8[h] = e8;
    }

    public long time(int h) {
        return timeMs[h];
    }

    public void time(int h, long ms) {
        timeMs[h] = ms;
    }

    public int account(int h) {
        return account[h];
    }

    public void account(int h, int v) {
        account[h] = v;
    }

    public int market(int h) {
        return market[h];
    }

    public void market(int h, int v) {
        market[h] = v;
    }

    public int prev(int h) {
        return prev[h];
    }

    public void prev(int h, int v) {
        prev[h] = v;
    }

    public int next(int h) {
        return next[h];
    }

    public void next(int h, int v) {
        next[h] = v;
    }

    public int accPrev(int h) {
        return accPrev[h];
    }

    public void accPrev(int h, int v) {
        accPrev[h] = v;
    }

    public int accNext(int h) {
        return accNext[h];
    }

    public void accNext(int h, int v) {
        accNext[h] = v;
    }

    public int level(int h) {
        return level[h];
    }

    public void level(int h, int v) {
        level[h] = v;
    }

    public int clientEntry(int h) {
        return clientEntry[h];
    }

    public void clientEntry(int h, int v) {
        clientEntry[h] = v;
    }

    public byte side(int h) {
        return side[h];
    }

    public void side(int h, byte v) {
        side[h] = v;
    }

    public byte type(int h) {
        return type[h];
    }

    public void type(int h, byte v) {
        type[h] = v;
    }

    public byte tif(int h) {
        return tif[h];
    }

    public void tif(int h, byte v) {
        tif[h] = v;
    }

    public int flags(int h) {
        return flags[h];
    }

    public void flags(int h, int v) {
        flags[h] = (byte) v;
    }

    public byte stp(int h) {
        return stp[h];
    }

    public void stp(int h, byte v) {
        stp[h] = v;
    }
}
