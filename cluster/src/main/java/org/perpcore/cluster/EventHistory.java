package org.perpcore.cluster;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The EVENTS messages of the most recent commands, by seq, in a fixed amount of memory: what a leader resends to a
 * gateway that missed some (a leader change, a dropped egress message). Bounded twice, by bytes and by entries;
 * the oldest entries go first. Not engine state: it is not in snapshots, and a node restarted from a snapshot holds
 * only what it applied since. Single threaded (the service thread); no allocation after construction.
 */
final class EventHistory {
    private final UnsafeBuffer data;
    private final int capacity;
    private final long[] positions;
    private final int[] lengths;
    private final int mask;
    /** Logical byte position where the next entry goes (grows without wrapping; the buffer index is its modulo). */
    private long writePosition;
    private long firstSeq = 1;
    private long lastSeq;

    /**
     * @param capacityBytes memory for the messages
     * @param maxEntries    at most this many commands (rounded up to a power of two)
     */
    EventHistory(int capacityBytes, int maxEntries) {
        if (capacityBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("history capacity and entries must be positive");
        }
        this.capacity = capacityBytes;
        this.data = new UnsafeBuffer(new byte[capacityBytes]);
        final int entries = Integer.bitCount(maxEntries) == 1 ? maxEntries : Integer.highestOneBit(maxEntries) << 1;
        this.positions = new long[entries];
        this.lengths = new int[entries];
        this.mask = entries - 1;
    }

    /**
     * Keeps the message of {@code seq}, which must follow the last one kept (otherwise the history restarts at
     * {@code seq}). A message larger than the whole history empties it.
     */
    void add(long seq, DirectBuffer src, int offset, int length) {
        if (seq != lastSeq + 1 || length > capacity) {
            firstSeq = seq;
            lastSeq = seq - 1;
            if (length > capacity) {
                firstSeq = seq + 1;
                lastSeq = seq;
                return;
            }
        }
        long start = writePosition;
        final int index = (int) (start % capacity);
        if (index + length > capacity) {
            start += capacity - index; // no entry wraps around the end of the buffer
        }
        final long end = start + length;
        while (firstSeq <= lastSeq && (positions[(int) (firstSeq & mask)] < end - capacity
            || lastSeq - firstSeq + 1 >= positions.length)) {
            firstSeq++;
        }
        data.putBytes((int) (start % capacity), src, offset, length);
        positions[(int) (seq & mask)] = start;
        lengths[(int) (seq & mask)] = length;
        writePosition = end;
        lastSeq = seq;
        if (firstSeq > lastSeq) {
            firstSeq = seq;
        }
    }

    /** The oldest seq held (greater than {@link #lastSeq()} when empty). */
    long firstSeq() {
        return firstSeq;
    }

    long lastSeq() {
        return lastSeq;
    }

    boolean contains(long seq) {
        return seq >= firstSeq && seq <= lastSeq;
    }

    MutableDirectBuffer buffer() {
        return data;
    }

    /** Offset in {@link #buffer()} of the message of {@code seq} (which {@link #contains}). */
    int offset(long seq) {
        return (int) (positions[(int) (seq & mask)] % capacity);
    }

    int length(long seq) {
        return lengths[(int) (seq & mask)];
    }
}
