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
            }
            heap[size] = p;
            p.heapSlot = size++;
            up(p.heapSlot);
        } else {
            down(up(p.heapSlot));
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
        final Position last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.heapSlot = i;
            down(up(i));
        }
    }

    /** Whether a should come out before b. */
    private boolean before(Position a, Position b) {
        if (a.triggerE8 != b.triggerE8) {
            return longs ? a.triggerE8 > b.triggerE8 : a.triggerE8 < b.triggerE8;
        }
        return a.account.id() < b.account.id();
    }

    private int up(int i) {
        final Position p = heap[i];
        while (i > 0) {
            final int parent = (i - 1) >>> 1;
            if (!before(p, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            heap[i].heapSlot = i;
            i = parent;
        }
        heap[i] = p;
        p.heapSlot = i;
        return i;
    }

    private void down(int i) {
        final Position p = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], p)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapSlot = i;
            i = child;
        }
        heap[i] = p;
        p.heapSlot = i;
    }
}
