package org.perpcore.core.engine;

import java.util.Arrays;

/**
 * Positions of one market and side ordered by the mark at which they must be checked (their trigger price), so
 * a mark tick costs the positions it crosses, not the positions held: a binary heap with each position's slot
 * stored in it (O(log n) insert, update and removal; O(1) to look at the next one to cross).
 *
 * <p>Longs: the highest trigger first (checked when the mark falls to or below it). Shorts: the lowest first
 * (checked when the mark rises to or above it). Equal triggers order by account id, so nothing depends on
 * insertion history.
 */
final class TriggerIndex {
    private final boolean longs;
    private Position[] heap = new Position[64];
    /**
     * Each slot's trigger and account id beside {@link #heap}: a sift compares keys in these arrays, not in the
     * positions (and their accounts) the slots point to, so a compare costs no pointer chase.
     */
    private long[] triggers = new long[64];
    private int[] accountIds = new int[64];
    private int size;

    TriggerIndex(boolean longs) {
        this.longs = longs;
    }

    int size() {
        return size;
    }

    /** The next position to cross, or null. */
    Position peek() {
        return size == 0 ? null : heap[0];
    }

    /** True when the mark has reached the trigger of {@code p}. */
    boolean crossed(Position p, long markE8) {
        return longs ? markE8 <= p.triggerE8 : markE8 >= p.triggerE8;
    }

    /** Adds or repositions {@code p} after its trigger changed (leaving the other side's index if it was there). */
    void update(Position p) {
        if (p.heap != this) {
            detach(p);
            p.heap = this;
            p.heapSlot = -1;
        }
        if (p.heapSlot < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
                triggers = Arrays.copyOf(triggers, size * 2);
                accountIds = Arrays.copyOf(accountIds, size * 2);
            }
            final int i = size++;
            place(p, p.triggerE8, p.account.id(), i);
            down(up(i));
        } else if (triggers[p.heapSlot] != p.triggerE8) {
            final int i = p.heapSlot;
            triggers[i] = p.triggerE8;
            down(up(i));
        }
    }

    /** Takes {@code p} out of whichever index holds it. */
    static void detach(Position p) {
        if (p.heap != null) {
            p.heap.remove(p);
        }
    }

    private void remove(Position p) {
        final int i = p.heapSlot;
        p.heap = null;
        p.heapSlot = -1;
        final int last = --size;
        if (i < last) {
            place(heap[last], triggers[last], accountIds[last], i);
            heap[last] = null;
            down(up(i));
        } else {
            heap[last] = null;
        }
    }

    private void place(Position p, long trigger, int accountId, int i) {
        heap[i] = p;
        triggers[i] = trigger;
        accountIds[i] = accountId;
        p.heapSlot = i;
    }

    /** Whether the key (trigger {@code ta}, account {@code aa}) comes out before (trigger {@code tb}, {@code ab}). */
    private boolean before(long ta, int aa, long tb, int ab) {
        if (ta != tb) {
            return longs ? ta > tb : ta < tb;
        }
        return aa < ab;
    }

    private int up(int i) {
        final Position p = heap[i];
        final long trigger = triggers[i];
        final int accountId = accountIds[i];
        while (i > 0) {
            final int parent = (i - 1) >>> 1;
            if (!before(trigger, accountId, triggers[parent], accountIds[parent])) {
                break;
            }
            place(heap[parent], triggers[parent], accountIds[parent], i);
            i = parent;
        }
        place(p, trigger, accountId, i);
        return i;
    }

    private void down(int i) {
        final Position p = heap[i];
        final long trigger = triggers[i];
        final int accountId = accountIds[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size
                && before(triggers[child + 1], accountIds[child + 1], triggers[child], accountIds[child])) {
                child++;
            }
            if (!before(triggers[child], accountIds[child], trigger, accountId)) {
                break;
            }
            place(heap[child], triggers[child], accountIds[child], i);
            i = child;
        }
        place(p, trigger, accountId, i);
    }
}
