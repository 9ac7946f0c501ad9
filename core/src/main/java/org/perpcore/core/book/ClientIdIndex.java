package org.perpcore.core.book;

import java.util.Arrays;
import org.perpcore.core.command.Name;

/**
 * Open orders by (account, market, client order id), as Binance requires a client order id to be unique among
 * an account's open orders of a symbol. Hash buckets with chained entries in primitive arrays; the id bytes live
 * in a slab of fixed 36-byte slots. Only orders that carry a client id have an entry.
 */
public final class ClientIdIndex {
    /** Longest client order id (Binance). */
    public static final int MAX_LENGTH = 36;

    private int[] buckets;
    private int mask;
    private int size;

    private int capacity;
    private int highWater;
    private int freeHead = OrderStore.NONE;
    private byte[] bytes;
    private byte[] length;
    private long[] hash;
    private int[] account;
    private int[] market;
    private int[] order;
    private int[] chain;

    public ClientIdIndex(int initialCapacity) {
        capacity = Math.max(16, initialCapacity);
        int b = 16;
        while (b < capacity * 2) {
            b <<= 1;
        }
        buckets = new int[b];
        Arrays.fill(buckets, OrderStore.NONE);
        mask = b - 1;
        bytes = new byte[capacity * MAX_LENGTH];
        length = new byte[capacity];
        hash = new long[capacity];
        account = new int[capacity];
        market = new int[capacity];
        order = new int[capacity];
        chain = new int[capacity];
    }

    private static long keyHash(int accountId, int marketId, Name id) {
        return Name.mix(id.hash() ^ ((long) accountId << 20) ^ ((long) marketId * 0x9E3779B97F4A7C15L));
    }

    /** The order handle with this client id among the account's open orders of the market, or NONE. */
    public int find(int accountId, int marketId, Name id) {
        final long h = keyHash(accountId, marketId, id);
        for (int e = buckets[(int) h & mask]; e != OrderStore.NONE; e = chain[e]) {
            if (hash[e] == h && account[e] == accountId && market[e] == marketId
                && id.contentEquals(bytes, e * MAX_LENGTH, length[e])) {
                return order[e];
            }
        }
        return OrderStore.NONE;
    }

    /** Adds an entry (the caller checked it is absent and at most {@link #MAX_LENGTH} long); returns its handle. */
    public int add(int accountId, int marketId, Name id, int orderHandle) {
        if (size * 2 >= buckets.length) {
            rehash(buckets.length * 2);
        }
        final int e;
        if (freeHead != OrderStore.NONE) {
            e = freeHead;
            freeHead = chain[e];
        } else {
            if (highWater == capacity) {
                grow();
            }
            e = highWater++;
        }
        final long h = keyHash(accountId, marketId, id);
        System.arraycopy(id.bytes(), 0, bytes, e * MAX_LENGTH, id.length());
        length[e] = (byte) id.length();
        hash[e] = h;
        account[e] = accountId;
        market[e] = marketId;
        order[e] = orderHandle;
        final int b = (int) h & mask;
        chain[e] = buckets[b];
        buckets[b] = e;
        size++;
        return e;
    }

    public void remove(int entry) {
        final int b = (int) hash[entry] & mask;
        int prev = OrderStore.NONE;
        for (int e = buckets[b]; e != OrderStore.NONE; prev = e, e = chain[e]) {
            if (e == entry) {
                if (prev == OrderStore.NONE) {
                    buckets[b] = chain[e];
                } else {
                    chain[prev] = chain[e];
                }
                chain[e] = freeHead;
                freeHead = e;
                size--;
                return;
            }
        }
    }

    /** The slab holding the id bytes; an entry's id starts at {@link #offset} and is {@link #length} long. */
    public byte[] bytes() {
        return bytes;
    }

    public int offset(int entry) {
        return entry * MAX_LENGTH;
    }

    public int length(int entry) {
        return length[entry];
    }

    public long hash(int entry) {
        return Name.hash(bytes, entry * MAX_LENGTH, length[entry]);
    }

    public int size() {
        return size;
    }

    private void grow() {
        final int n = capacity * 2;
        bytes = Arrays.copyOf(bytes, n * MAX_LENGTH);
        length = Arrays.copyOf(length, n);
        hash = Arrays.copyOf(hash, n);
        account = Arrays.copyOf(account, n);
        market = Arrays.copyOf(market, n);
        order = Arrays.copyOf(order, n);
        chain = Arrays.copyOf(chain, n);
        capacity = n;
    }

    private void rehash(int newBuckets) {
        buckets = new int[newBuckets];
        Arrays.fill(buckets, OrderStore.NONE);
        mask = newBuckets - 1;
        // rebuild the chains from the live entries: every entry not on the free list
        final boolean[] free = new boolean[highWater];
        for (int e = freeHead; e != OrderStore.NONE; e = chain[e]) {
            free[e] = true;
        }
        for (int e = 0; e < highWater; e++) {
            if (!free[e]) {
                final int b = (int) hash[e] & mask;
                chain[e] = buckets[b];
                buckets[b] = e;
            }
        }
    }
}
