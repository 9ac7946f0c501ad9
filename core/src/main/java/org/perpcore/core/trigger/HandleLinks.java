package org.perpcore.core.trigger;

import java.util.Arrays;

/**
 * Per-order fields the trigger structures keep about the orders they hold, in arrays indexed by the order's handle
 * (its record in the engine's order store): where it sits in the structure holding it (a list slot, the price it is
 * filed under), its links inside a trailing stop's price level, and its tie-break key (the order id). One instance is
 * shared by every structure of an engine: an order sits in at most one structure at a time, so one set of fields per
 * handle is enough. Grows by doubling to
 * cover the highest handle seen; growing is the only allocation.
 *
 * <p>Single writer: the engine thread.
 */
public final class HandleLinks {
    static final int NONE = -1;

    private int[] slot;
    private int[] next;
    private int[] prev;
    private int[] level;
    private long[] tie;
    private long[] key;

    public HandleLinks(int initialCapacity) {
        final int n = Math.max(16, initialCapacity);
        slot = new int[n];
        next = new int[n];
        prev = new int[n];
        level = new int[n];
        tie = new long[n];
        key = new long[n];
    }

    /** Makes room for {@code handle}. */
    public void ensure(int handle) {
        if (handle < slot.length) {
            return;
        }
        int n = slot.length;
        while (n <= handle) {
            n *= 2;
        }
        slot = Arrays.copyOf(slot, n);
        next = Arrays.copyOf(next, n);
        prev = Arrays.copyOf(prev, n);
        level = Arrays.copyOf(level, n);
        tie = Arrays.copyOf(tie, n);
        key = Arrays.copyOf(key, n);
    }

    /** The order's tie-break key: among equal trigger prices, the smaller fires first (the engine: its order id). */
    public long tie(int handle) {
        return tie[handle];
    }

    public void tie(int handle, long key) {
        tie[handle] = key;
    }

    /** The price a {@link PriceQueue} filed the order under (its cancel looks it up by it). */
    long key(int handle) {
        return key[handle];
    }

    void key(int handle, long price) {
        key[handle] = price;
    }

    int slot(int handle) {
        return slot[handle];
    }

    void slot(int handle, int s) {
        slot[handle] = s;
    }

    int next(int handle) {
        return next[handle];
    }

    void next(int handle, int h) {
        next[handle] = h;
    }

    int prev(int handle) {
        return prev[handle];
    }

    void prev(int handle, int h) {
        prev[handle] = h;
    }

    int level(int handle) {
        return level[handle];
    }

    void level(int handle, int l) {
        level[handle] = l;
    }
}
