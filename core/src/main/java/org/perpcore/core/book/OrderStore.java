package org.perpcore.core.book;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Every live order of the engine, stored as fixed-size records of one byte array, indexed by an int handle (no
 * object per order, nothing for the collector to trace, {@value #RECORD} bytes an order, its client order id
 * included). Freed handles are reused
 * through a free list threaded through {@code next}. Grows by doubling; growing is the only allocation.
 *
 * <p>Why records rather than one array per field: matching, cancelling and retiring an order read and write most
 * of its fields, at a handle the cache has usually not seen lately. In one record they share two cache lines; one
 * array per field costs a line per field.
 *
 * <p>Links: {@code prev/next} chain the orders of one price level in time priority.
 */
public final class OrderStore {
    public static final int NONE = -1;

    /** Flag bit: reduce-only. */
    public static final int FLAG_REDUCE_ONLY = 1;

    /**
     * Flag bit: a conditional order waiting for its trigger. It is an open order of its account (found by its ids,
     * cancelled with the others) but not in any book level; {@code engine.ConditionalOrders} holds it.
     */
    public static final int FLAG_CONDITIONAL = 4;

    /** Longest client order id (Binance). */
    public static final int MAX_CLIENT_ID = 36;

    private static final int RECORD = 128;
    /**
     * Where the first record starts in {@link #data}. A large array starts at a heap region's boundary (G1 puts
     * such arrays in regions of their own) and its bytes 16 bytes further, after the array header: records from
     * byte 48 on lie on 64-byte lines, two lines each, where records from byte 0 would spread over three.
     */
    private static final int BASE = 48;
    private static final int ORDER_ID = 0;
    private static final int PRICE_TICKS = 8;
    private static final int ORIG_LOTS = 16;
    private static final int EXEC_LOTS = 24;
    private static final int CUM_QUOTE_E8 = 32;
    private static final int TIME_MS = 40;
    private static final int ACCOUNT = 48;
    private static final int MARKET = 52;
    private static final int PREV = 56;
    private static final int NEXT = 60;
    private static final int CLIENT_HASH = 64;
    private static final int LEVEL = 72;
    private static final int SIDE = 80;
    private static final int TYPE = 81;
    private static final int TIF = 82;
    private static final int FLAGS = 83;
    private static final int STP = 84;
    private static final int CLIENT_ID_LENGTH = 85;
    private static final int CLIENT_ID = 86;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private int capacity;
    private int highWater;
    private int freeHead = NONE;
    private int live;
    private byte[] data;

    public OrderStore(int initialCapacity) {
        capacity = Math.max(16, initialCapacity);
        data = new byte[BASE + capacity * RECORD];
    }

    /** A fresh handle with every link cleared. */
    public int allocate() {
        final int h;
        if (freeHead != NONE) {
            h = freeHead;
            freeHead = next(h);
        } else {
            if (highWater == capacity) {
                grow();
            }
            h = highWater++;
        }
        final int at = start(h);
        putInt(at + PREV, NONE);
        putInt(at + NEXT, NONE);
        putInt(at + LEVEL, NONE);
        data[at + CLIENT_ID_LENGTH] = 0;
        putLong(at + EXEC_LOTS, 0);
        putLong(at + CUM_QUOTE_E8, 0);
        data[at + FLAGS] = 0;
        live++;
        return h;
    }

    public void free(int h) {
        putLong(start(h) + ORDER_ID, 0);
        next(h, freeHead);
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
        data = Arrays.copyOf(data, BASE + n * RECORD);
        capacity = n;
    }

    /** Where record {@code h} starts in {@link #data}. */
    private static int start(int h) {
        return BASE + h * RECORD;
    }

    private long getLong(int offset) {
        return (long) LONG.get(data, offset);
    }

    private void putLong(int offset, long v) {
        LONG.set(data, offset, v);
    }

    private int getInt(int offset) {
        return (int) INT.get(data, offset);
    }

    private void putInt(int offset, int v) {
        INT.set(data, offset, v);
    }

    public long orderId(int h) {
        return getLong(start(h) + ORDER_ID);
    }

    public void orderId(int h, long v) {
        putLong(start(h) + ORDER_ID, v);
    }

    public long price(int h) {
        return getLong(start(h) + PRICE_TICKS);
    }

    public void price(int h, long ticks) {
        putLong(start(h) + PRICE_TICKS, ticks);
    }

    public long origLots(int h) {
        return getLong(start(h) + ORIG_LOTS);
    }

    public void origLots(int h, long v) {
        putLong(start(h) + ORIG_LOTS, v);
    }

    public long execLots(int h) {
        return getLong(start(h) + EXEC_LOTS);
    }

    public void execLots(int h, long v) {
        putLong(start(h) + EXEC_LOTS, v);
    }

    public long remainingLots(int h) {
        final int at = start(h);
        return getLong(at + ORIG_LOTS) - getLong(at + EXEC_LOTS);
    }

    public long cumQuote(int h) {
        return getLong(start(h) + CUM_QUOTE_E8);
    }

    public void cumQuote(int h, long e8) {
        putLong(start(h) + CUM_QUOTE_E8, e8);
    }

    public long time(int h) {
        return getLong(start(h) + TIME_MS);
    }

    public void time(int h, long ms) {
        putLong(start(h) + TIME_MS, ms);
    }

    public int account(int h) {
        return getInt(start(h) + ACCOUNT);
    }

    public void account(int h, int v) {
        putInt(start(h) + ACCOUNT, v);
    }

    public int market(int h) {
        return getInt(start(h) + MARKET);
    }

    public void market(int h, int v) {
        putInt(start(h) + MARKET, v);
    }

    public int prev(int h) {
        return getInt(start(h) + PREV);
    }

    public void prev(int h, int v) {
        putInt(start(h) + PREV, v);
    }

    public int next(int h) {
        return getInt(start(h) + NEXT);
    }

    public void next(int h, int v) {
        putInt(start(h) + NEXT, v);
    }

    public int level(int h) {
        return getInt(start(h) + LEVEL);
    }

    public void level(int h, int v) {
        putInt(start(h) + LEVEL, v);
    }

    /** Low 32 bits of the client id's index key hash, kept so that removing it needs no rehash. */
    public int clientHash(int h) {
        return getInt(start(h) + CLIENT_HASH);
    }

    public void clientHash(int h, int v) {
        putInt(start(h) + CLIENT_HASH, v);
    }

    /** Length of the order's client order id (0: none). */
    public int clientIdLength(int h) {
        return data[start(h) + CLIENT_ID_LENGTH];
    }

    /** Sets the order's client order id (at most {@link #MAX_CLIENT_ID} bytes, checked by the caller). */
    public void clientId(int h, org.perpcore.core.command.Name id) {
        final int at = start(h);
        data[at + CLIENT_ID_LENGTH] = (byte) id.length();
        System.arraycopy(id.bytes(), 0, data, at + CLIENT_ID, id.length());
    }

    /** True when the order's client order id equals {@code id}. */
    public boolean clientIdEquals(int h, org.perpcore.core.command.Name id) {
        final int at = start(h);
        return data[at + CLIENT_ID_LENGTH] == id.length() && id.contentEquals(data, at + CLIENT_ID, id.length());
    }

    /** The array holding client order ids: the order's id is at {@link #clientIdOffset} for its length. Read only. */
    public byte[] clientIdBytes() {
        return data;
    }

    public int clientIdOffset(int h) {
        return start(h) + CLIENT_ID;
    }

    public byte side(int h) {
        return data[start(h) + SIDE];
    }

    public void side(int h, byte v) {
        data[start(h) + SIDE] = v;
    }

    public byte type(int h) {
        return data[start(h) + TYPE];
    }

    public void type(int h, byte v) {
        data[start(h) + TYPE] = v;
    }

    public byte tif(int h) {
        return data[start(h) + TIF];
    }

    public void tif(int h, byte v) {
        data[start(h) + TIF] = v;
    }

    public int flags(int h) {
        return data[start(h) + FLAGS];
    }

    /** True for a conditional order still waiting for its trigger ({@link #FLAG_CONDITIONAL}): open, in no book. */
    public boolean waitingForTrigger(int h) {
        return (data[start(h) + FLAGS] & FLAG_CONDITIONAL) != 0;
    }

    public void flags(int h, int v) {
        data[start(h) + FLAGS] = (byte) v;
    }

    public byte stp(int h) {
        return data[start(h) + STP];
    }

    public void stp(int h, byte v) {
        data[start(h) + STP] = v;
    }
}
