package org.perpcore.core.book;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.perpcore.core.command.Name;

/**
 * Open orders by (account, market, client order id), as Binance requires a client order id to be unique among an
 * account's open orders of a symbol. Only orders that carry a client id are indexed.
 *
 * <p>Layout: open addressing over one {@code long[]} of slots, each holding the low 32 bits of the key hash (the
 * home slot, and a fingerprint) and the order handle, with linear probing and backward-shift deletion (no tombstones). The client id itself
 * lives in the order's record ({@link OrderStore}), so a lookup reads one slot line and, on a fingerprint match,
 * the order record the caller reads next anyway. Keys are hashed eight bytes at a time. The hash only places
 * entries: no output depends on it.
 */
public final class ClientIdIndex {
    /** Longest client order id (Binance). */
    public static final int MAX_LENGTH = OrderStore.MAX_CLIENT_ID;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private final OrderStore orders;
    private long[] slots;
    private int mask;
    private int size;

    public ClientIdIndex(OrderStore orders, int expected) {
        this.orders = orders;
        int n = 16;
        while (n < expected * 2) {
            n <<= 1;
        }
        slots = new long[n];
        mask = n - 1;
    }

    /**
     * True when every byte of the id is a legal client id character ({@link Name#isLegalChar}). Eight bytes at a
     * time: the legal set is four byte ranges, {@code - . / 0-9 :}, {@code A-Z}, {@code _} and {@code a-z}.
     */
    public static boolean isLegal(Name id) {
        final byte[] b = id.bytes();
        final int n = id.length();
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if (!legalWord((long) LONG.get(b, i), -1L)) {
                return false;
            }
        }
        // the name's array has 8 bytes of slack past its capacity: the tail's excess bytes are read and masked off
        return i == n || legalWord((long) LONG.get(b, i), -1L >>> (64 - 8 * (n - i)));
    }

    /**
     * Whether every byte that {@code mask} keeps (0xFF lanes) is legal. After the bytes of 0x80 and up are refused,
     * each lane is below 0x80, so adding a constant below 0x80 per lane never carries into the next one, and a
     * lane's high bit after {@code + (0x80 - lo)} says {@code b >= lo}, after {@code + (0x7F - hi)} says {@code b > hi}.
     */
    private static boolean legalWord(long word, long mask) {
        final long w = word & mask;
        if ((w & HIGH_BITS) != 0) {
            return false;
        }
        final long in = inRange(w, 0x2D, 0x3A) | inRange(w, 0x41, 0x5A) | inRange(w, 0x5F, 0x5F)
            | inRange(w, 0x61, 0x7A);
        return (~in & HIGH_BITS & mask) == 0;
    }

    /** Per lane of {@code w} (lanes below 0x80): the high bit set when {@code lo <= lane <= hi}. */
    private static long inRange(long w, int lo, int hi) {
        return (w + ONES * (0x80 - lo)) & ~(w + ONES * (0x7F - hi));
    }

    /** The key hash of (account, market, id). */
    public static long keyHash(int accountId, int marketId, Name id) {
        return keyHash(accountId, marketId, id.bytes(), 0, id.length());
    }

    /**
     * The key hash of (account, market, id bytes), eight bytes at a time. The array must have 7 readable bytes past
     * the id (a {@link Name}'s array and an order record both do); they are masked off.
     */
    public static long keyHash(int accountId, int marketId, byte[] b, int offset, int length) {
        long h = 0x9E3779B97F4A7C15L ^ ((long) accountId << 32 | marketId) ^ length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft((h ^ (long) LONG.get(b, offset + i)) * 0xbf58476d1ce4e5b9L, 29);
        }
        if (i < length) {
            final long tail = (long) LONG.get(b, offset + i) & (-1L >>> (64 - 8 * (length - i)));
            h = Long.rotateLeft((h ^ tail) * 0xbf58476d1ce4e5b9L, 29);
        }
        return Name.mix(h);
    }

    /** A slot: the hash's low 32 bits (its home slot and a fingerprint) above the handle + 1 (0 = empty). */
    private static long slot(long hash, int handle) {
        return (hash << 32) | (handle + 1L);
    }

    /** The open order with this client id among the account's orders of the market, or NONE. */
    public int find(long hash, int accountId, int marketId, Name id) {
        final long fingerprint = hash << 32;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            final long s = slots[i];
            if (s == 0) {
                return OrderStore.NONE;
            }
            if ((s & 0xFFFF_FFFF_0000_0000L) == fingerprint) {
                final int h = (int) s - 1;
                if (orders.account(h) == accountId && orders.market(h) == marketId && orders.clientIdEquals(h, id)) {
                    return h;
                }
            }
        }
    }

    public int find(int accountId, int marketId, Name id) {
        return find(keyHash(accountId, marketId, id), accountId, marketId, id);
    }

    /** Indexes an order whose client id (already in its record) hashes to {@code hash}; the caller checked it is absent. */
    public void add(long hash, int handle) {
        if ((size + 1) * 2 > slots.length) {
            resize(slots.length * 2);
        }
        insert(slots, mask, slot(hash, handle), hash);
        orders.clientHash(handle, (int) hash);
        size++;
    }

    /** Removes an indexed order. */
    public void remove(int handle) {
        final long hash = orders.clientHash(handle) & 0xFFFF_FFFFL;
        final long target = slot(hash, handle);
        int i = (int) hash & mask;
        while (slots[i] != target) {
            i = (i + 1) & mask;
        }
        // backward-shift deletion: move later members of the probe run into the hole when their home allows it
        int hole = i;
        for (int j = (hole + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
            final int home = homeOf(slots[j]);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = 0;
        size--;
    }

    private int homeOf(long s) {
        return (int) (s >>> 32) & mask;
    }

    public int size() {
        return size;
    }

    private static void insert(long[] table, int mask, long s, long hash) {
        int i = (int) hash & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = s;
    }

    private void resize(int n) {
        final long[] old = slots;
        slots = new long[n];
        mask = n - 1;
        for (long s : old) {
            if (s != 0) {
                insert(slots, mask, s, s >>> 32);
            }
        }
    }
}
