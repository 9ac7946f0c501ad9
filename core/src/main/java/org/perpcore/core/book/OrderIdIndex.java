package org.perpcore.core.book;

import org.agrona.collections.Long2LongHashMap;

/**
 * Resting orders by order id. Order ids are handed out in sequence, so a direct-mapped table indexed by the id
 * modulo its size puts consecutive orders in consecutive slots: registering a new order writes a cache line its
 * predecessors just warmed, and a lookup is one slot. Each slot is an (order id, handle) pair in one
 * {@code long[]}. When a new id lands on a slot whose order is still resting (it has outlived a whole table's
 * worth of newer orders), that order moves to an overflow hash map, which therefore holds only long-lived orders.
 */
public final class OrderIdIndex {
    private final long[] slots;
    private final int mask;
    private final Long2LongHashMap overflow = new Long2LongHashMap(64, 0.65f, OrderStore.NONE);
    private int size;

    /** Most slots a table gets (32 MiB): beyond that, orders old enough to be overwritten wait in the overflow. */
    private static final int MAX_SLOTS = 1 << 21;

    /** @param expected resting orders expected at once; the table gets twice that many slots, within bounds */
    public OrderIdIndex(int expected) {
        int n = 1024;
        while (n < expected * 2 && n < MAX_SLOTS) {
            n <<= 1;
        }
        slots = new long[2 * n];
        mask = n - 1;
    }

    /** The handle of the resting order with this id, or {@link OrderStore#NONE}. */
    public int get(long orderId) {
        if (orderId <= 0) {
            return OrderStore.NONE;
        }
        final int i = 2 * ((int) orderId & mask);
        if (slots[i] == orderId) {
            return (int) slots[i + 1];
        }
        return overflow.isEmpty() ? OrderStore.NONE : (int) overflow.get(orderId);
    }

    /** Adds a positive id greater than every id added before. */
    public void put(long orderId, int handle) {
        final int i = 2 * ((int) orderId & mask);
        if (slots[i] != 0) {
            overflow.put(slots[i], slots[i + 1]);
        }
        slots[i] = orderId;
        slots[i + 1] = handle;
        size++;
    }

    public void remove(long orderId) {
        final int i = 2 * ((int) orderId & mask);
        if (slots[i] == orderId) {
            slots[i] = 0;
            size--;
        } else if (overflow.remove(orderId) != OrderStore.NONE) {
            size--;
        }
    }

    public int size() {
        return size;
    }

    /** Orders in the overflow map (long-lived ones). */
    public int overflowSize() {
        return overflow.size();
    }
}
