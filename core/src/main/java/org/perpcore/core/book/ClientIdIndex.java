package org.perpcore.core.book;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.perpcore.core.command.Name;

/**
 * Open orders by (account, market, client order id), as Binance requires a client order id to be unique among
 * an account's open orders of a symbol. Hash buckets with chained entries; only orders that carry a client id have
 * an entry.
 *
 * <p>Layout: each entry is one 64-byte record of a single byte array (its key hash, account, market, order
 * handle, chain link, length and the id's bytes), so a lookup reads the bucket and one record rather than one
 * line of each of seven arrays. Keys are hashed and compared eight bytes at a time. The key hash only places
 * entries in buckets: no output depends on it.
 */
public final class ClientIdIndex {
    /** Longest client order id (Binance). */
    public static final int MAX_LENGTH = 36;

    private static final int RECORD = 64;
    private static final int HASH = 0;
    private static final int ACCOUNT = 8;
    private static final int MARKET = 12;
    private static final int ORDER = 16;
    private static final int CHAIN = 20;
    private static final int LENGTH = 24;
    private static final int ID = 28;
    /** Bytes past the last record, so that comparing the last record's id eight bytes at a time stays inside. */
    private static final int SLACK = 8;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Bit c is set when {@link Name#isLegalChar} accepts c (c < 128); bytes of 128 and above are never legal. */
    private static final long[] LEGAL = new long[2];

    static {
        for (int c = 0; c < 128; c++) {
            if (Name.isLegalChar(c)) {
                LEGAL[c >>> 6] |= 1L << c;
            }
        }
    }

    private int[] buckets;
    private int mask;
    private int size;

    private int capacity;
    private int highWater;
    private int freeHead = OrderStore.NONE;
    private byte[] records;

    public ClientIdIndex(int initialCapacity) {
        capacity = Math.max(16, initialCapacity);
        int b = 16;
        while (b < capacity * 2) {
            b <<= 1;
        }
        buckets = new int[b];
        Arrays.fill(buckets, OrderStore.NONE);
        mask = b - 1;
        records = new byte[capacity * RECORD + SLACK];
    }

    /** Same answer as {@link Name#isLegal()}, by table rather than by comparisons. */
    public static boolean isLegal(Name id) {
        final byte[] b = id.bytes();
        for (int i = 0, n = id.length(); i < n; i++) {
            final int c = b[i];
            if (c < 0 || (LEGAL[c >>> 6] & (1L << c)) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The hash that places a key in a bucket, for {@link #find(long, int, int, Name)} and
     * {@link #add(long, int, int, Name, int)}. The id must be at most {@link #MAX_LENGTH} long.
     */
    public static long keyHash(int accountId, int marketId, Name id) {
        // Name's array holds Name.CAPACITY (64) bytes: whole words up to MAX_LENGTH rounded up to 8 are in range
        final byte[] b = id.bytes();
        final int n = id.length();
        long h = (((long) accountId << 32) | (marketId & 0xffffffffL)) * 0x9E3779B97F4A7C15L + n;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            h = Long.rotateLeft(h ^ (long) LONG.get(b, i), 27) * 0xbf58476d1ce4e5b9L;
        }
        if (i < n) {
            h = Long.rotateLeft(h ^ ((long) LONG.get(b, i) & tailMask(n - i)), 27) * 0xbf58476d1ce4e5b9L;
        }
        return Name.mix(h);
    }

    /** The low {@code bytes} bytes of a little-endian word (1 to 7). */
    private static long tailMask(int bytes) {
        return (1L << (bytes << 3)) - 1;
    }

    /** The order handle with this client id among the account's open orders of the market, or NONE. */
    public int find(int accountId, int marketId, Name id) {
        return find(keyHash(accountId, marketId, id), accountId, marketId, id);
    }

    /** As {@link #find(int, int, Name)}, with the key's {@link #keyHash} already computed. */
    public int find(long keyHash, int accountId, int marketId, Name id) {
        final byte[] r = records;
        for (int e = buckets[(int) keyHash & mask]; e != OrderStore.NONE; e = (int) INT.get(r, e * RECORD + CHAIN)) {
            final int at = e * RECORD;
            if ((long) LONG.get(r, at + HASH) == keyHash && (int) INT.get(r, at + ACCOUNT) == accountId
                && (int) INT.get(r, at + MARKET) == marketId && sameId(r, at, id)) {
                return (int) INT.get(r, at + ORDER);
            }
        }
        return OrderStore.NONE;
    }

    private static boolean sameId(byte[] r, int at, Name id) {
        final int n = id.length();
        if (r[at + LENGTH] != n) {
            return false;
        }
        final byte[] b = id.bytes();
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if ((long) LONG.get(r, at + ID + i) != (long) LONG.get(b, i)) {
                return false;
            }
        }
        return i == n || (((long) LONG.get(r, at + ID + i) ^ (long) LONG.get(b, i)) & tailMask(n - i)) == 0;
    }

    /** Adds an entry (the caller checked it is absent and at most {@link #MAX_LENGTH} long); returns its handle. */
    public int add(int accountId, int marketId, Name id, int orderHandle) {
        return add(keyHash(accountId, marketId, id), accountId, marketId, id, orderHandle);
    }

    /** As {@link #add(int, int, Name, int)}, with the key's {@link #keyHash} already computed. */
    public int add(long keyHash, int accountId, int marketId, Name id, int orderHandle) {
        if (size * 2 >= buckets.length) {
            rehash(buckets.length * 2);
        }
        final int e;
        if (freeHead != OrderStore.NONE) {
            e = freeHead;
            freeHead = chain(e);
        } else {
            if (highWater == capacity) {
                grow();
            }
            e = highWater++;
        }
        final byte[] r = records;
        final int at = e * RECORD;
        System.arraycopy(id.bytes(), 0, r, at + ID, id.length());
        r[at + LENGTH] = (byte) id.length();
        LONG.set(r, at + HASH, keyHash);
        INT.set(r, at + ACCOUNT, accountId);
        INT.set(r, at + MARKET, marketId);
        INT.set(r, at + ORDER, orderHandle);
        final int b = (int) keyHash & mask;
        chain(e, buckets[b]);
        buckets[b] = e;
        size++;
        return e;
    }

    public void remove(int entry) {
        final int b = (int) keyHashOf(entry) & mask;
        int prev = OrderStore.NONE;
        for (int e = buckets[b]; e != OrderStore.NONE; prev = e, e = chain(e)) {
            if (e == entry) {
                if (prev == OrderStore.NONE) {
                    buckets[b] = chain(e);
                } else {
                    chain(prev, chain(e));
                }
                chain(e, freeHead);
                freeHead = e;
                size--;
                return;
            }
        }
    }

    /** The array holding the id bytes; an entry's id starts at {@link #offset} and is {@link #length} long. */
    public byte[] bytes() {
        return records;
    }

    public int offset(int entry) {
        return entry * RECORD + ID;
    }

    public int length(int entry) {
        return records[entry * RECORD + LENGTH];
    }

    /** {@link Name#hash} of the entry's id (for the state hash; not the bucket hash). */
    public long hash(int entry) {
        return Name.hash(records, offset(entry), length(entry));
    }

    public int size() {
        return size;
    }

    private long keyHashOf(int e) {
        return (long) LONG.get(records, e * RECORD + HASH);
    }

    private int chain(int e) {
        return (int) INT.get(records, e * RECORD + CHAIN);
    }

    private void chain(int e, int next) {
        INT.set(records, e * RECORD + CHAIN, next);
    }

    private void grow() {
        final int n = capacity * 2;
        records = Arrays.copyOf(records, n * RECORD + SLACK);
        capacity = n;
    }

    private void rehash(int newBuckets) {
        buckets = new int[newBuckets];
        Arrays.fill(buckets, OrderStore.NONE);
        mask = newBuckets - 1;
        // rebuild the chains from the live entries: every entry not on the free list
        final boolean[] free = new boolean[highWater];
        for (int e = freeHead; e != OrderStore.NONE; e = chain(e)) {
            free[e] = true;
        }
        for (int e = 0; e < highWater; e++) {
            if (!free[e]) {
                final int b = (int) keyHashOf(e) & mask;
                chain(e, buckets[b]);
                buckets[b] = e;
            }
        }
    }
}
