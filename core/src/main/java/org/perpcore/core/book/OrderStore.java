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
        data = new byte[capacity * RECORD];
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
        final int at = h * RECORD;
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
        putLong(h * RECORD + ORDER_ID, 0);
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
        data = Arrays.copyOf(data, n * RECORD);
        capacity = n;
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
        return getLong(h * RECORD + ORDER_ID);
    }

    public void orderId(int h, long v) {
        putLong(h * RECORD + ORDER_ID, v);
    }

    public long price(int h) {
        return getLong(h * RECORD + PRICE_TICKS);
    }

    public void price(int h, long ticks) {
        putLong(h * RECORD + PRICE_TICKS, ticks);
    }

    public long origLots(int h) {
        return getLong(h * RECORD + ORIG_LOTS);
    }

    public void origLots(int h, long v) {
        putLong(h * RECORD + ORIG_LOTS, v);
    }

    public long execLots(int h) {
        return getLong(h * RECORD + EXEC_LOTS);
    }

    public void execLots(int h, long v) {
        putLong(h * RECORD + EXEC_LOTS, v);
    }

    public long remainingLots(int h) {
        final int at = h * RECORD;
        return getLong(at + ORIG_LOTS) - getLong(at + EXEC_LOTS);
    }

    public long cumQuote(int h) {
        return getLong(h * RECORD + CUM_QUOTE_E8);
    }

    public void cumQuote(int h, long e8) {
        putLong(h * RECORD + CUM_QUOTE_E8, e8);
    }

    public long time(int h) {
        return getLong(h * RECORD + TIME_MS);
    }

    public void time(int h, long ms) {
        putLong(h * RECORD + TIME_MS, ms);
    }

    public int account(int h) {
        return getInt(h * RECORD + ACCOUNT);
    }

    public void account(int h, int v) {
        putInt(h * RECORD + ACCOUNT, v);
    }

    public int market(int h) {
        return getInt(h * RECORD + MARKET);
    }

    public void market(int h, int v) {
        putInt(h * RECORD + MARKET, v);
    }

    public int prev(int h) {
        return getInt(h * RECORD + PREV);
    }

    public void prev(int h, int v) {
        putInt(h * RECORD + PREV, v);
    }

    public int next(int h) {
        return getInt(h * RECORD + NEXT);
    }

    public void next(int h, int v) {
        putInt(h * RECORD + NEXT, v);
    }

    public int level(int h) {
        return getInt(h * RECORD + LEVEL);
    }

    public void level(int h, int v) {
        putInt(h * RECORD + LEVEL, v);
    }

    /** Low 32 bits of the client id's index key hash, kept so that removing it needs no rehash. */
    public int clientHash(int h) {
        return getInt(h * RECORD + CLIENT_HASH);
    }

    public void clientHash(int h, int v) {
        putInt(h * RECORD + CLIENT_HASH, v);
    }

    /** Length of the order's client order id (0: none). */
    public int clientIdLength(int h) {
        return data[h * RECORD + CLIENT_ID_LENGTH];
    }

    /** Sets the order's client order id (at most {@link #MAX_CLIENT_ID} bytes, checked by the caller). */
    public void clientId(int h, org.perpcore.core.command.Name id) {
        final int at = h * RECORD;
        data[at + CLIENT_ID_LENGTH] = (byte) id.length();
        System.arraycopy(id.bytes(), 0, data, at + CLIENT_ID, id.length());
    }

    /** True when the order's client order id equals {@code id}. */
    public boolean clientIdEquals(int h, org.perpcore.core.command.Name id) {
        final int at = h * RECORD;
        return data[at + CLIENT_ID_LENGTH] == id.length() && id.contentEquals(data, at + CLIENT_ID, id.length());
    }

    /** The array holding client order ids: the order's id is at {@link #clientIdOffset} for its length. Read only. */
    public byte[] clientIdBytes() {
        return data;
    }

    public int clientIdOffset(int h) {
        return h * RECORD + CLIENT_ID;
    }

    public byte side(int h) {
        return data[h * RECORD + SIDE];
    }

    public void side(int h, byte v) {
        data[h * RECORD + SIDE] = v;
    }

    public byte type(int h) {
        return data[h * RECORD + TYPE];
    }

    public void type(int h, byte v) {
        data[h * RECORD + TYPE] = v;
    }

    public byte tif(int h) {
        return data[h * RECORD + TIF];
    }

    public void tif(int h, byte v) {
        data[h * RECORD + TIF] = v;
    }

    public int flags(int h) {
        return data[h * RECORD + FLAGS];
    }

    /** True for a conditional order still waiting for its trigger ({@link #FLAG_CONDITIONAL}): open, in no book. */
    public boolean waitingForTrigger(int h) {
        return (data[h * RECORD + FLAGS] & FLAG_CONDITIONAL) != 0;
    }

    public void flags(int h, int v) {
        data[h * RECORD + FLAGS] = (byte) v;
    }

    public byte stp(int h) {
        return data[h * RECORD + STP];
    }

    public void stp(int h, byte v) {
        data[h * RECORD + STP] = v;
    }
}
