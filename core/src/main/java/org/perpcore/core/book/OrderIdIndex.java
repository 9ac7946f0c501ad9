package org.perpcore.core.book;

/**
 * Resting orders by order id. Open addressing with linear probing and backward-shift deletion; each slot is an
 * (order id, handle) pair in one {@code long[]}, so a probe reads one line. Ids are spread by a Fibonacci
 * multiply-shift: ids come in sequence, and placing them at their own value modulo the size would pack the live
 * ones into long runs that every deletion has to walk.
 */
public final class OrderIdIndex {
    private long[] slots;
    private int mask;
    private int shift;
    private int size;

    public OrderIdIndex(int expected) {
        int n = 16;
        while (n < expected * 2) {
            n <<= 1;
        }
        slots = new long[2 * n];
        mask = n - 1;
        shift = 64 - Integer.numberOfTrailingZeros(n);
    }

    private static int home(long orderId, int shift) {
        return (int) ((orderId * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** The handle of the resting order with this id, or {@link OrderStore#NONE}. */
    public int get(long orderId) {
        if (orderId <= 0) {
            return OrderStore.NONE;
        }
        for (int i = home(orderId, shift); ; i = (i + 1) & mask) {
            final long k = slots[2 * i];
            if (k == orderId) {
                return (int) slots[2 * i + 1];
            }
            if (k == 0) {
                return OrderStore.NONE;
            }
        }
    }

    /** Adds an id known to be absent (ids are positive). */
    public void put(long orderId, int handle) {
        if ((size + 1) * 2 > mask + 1) {
            resize((mask + 1) * 2);
        }
        insert(slots, mask, shift, orderId, handle);
        size++;
    }

    public void remove(long orderId) {
        int i = home(orderId, shift);
        while (slots[2 * i] != orderId) {
            if (slots[2 * i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        int hole = i;
        for (int j = (hole + 1) & mask; slots[2 * j] != 0; j = (j + 1) & mask) {
            final int home = home(slots[2 * j], shift);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                slots[2 * hole] = slots[2 * j];
                slots[2 * hole + 1] = slots[2 * j + 1];
                hole = j;
            }
        }
        slots[2 * hole] = 0;
        size--;
    }

    public int size() {
        return size;
    }

    private static void insert(long[] table, int mask, int shift, long orderId, int handle) {
        int i = home(orderId, shift);
        while (table[2 * i] != 0) {
            i = (i + 1) & mask;
        }
        table[2 * i] = orderId;
        table[2 * i + 1] = handle;
    }

    private void resize(int n) {
        final long[] old = slots;
        slots = new long[2 * n];
        mask = n - 1;
        shift = 64 - Integer.numberOfTrailingZeros(n);
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0) {
                insert(slots, mask, shift, old[i], (int) old[i + 1]);
            }
        }
    }
}
