package org.perpcore.core.engine;

/**
 * The lowest and highest mark of a market over a sliding window of command time, for the circuit breaker: two
 * monotonic queues of (second, mark), O(1) amortised per update, bounded by the window's length in seconds.
 */
final class MoveWindow {
    static final int CAPACITY = 3_602;

    // package-private for EngineSnapshot
    final long[] minSeconds = new long[CAPACITY];
    final long[] minValues = new long[CAPACITY];
    final long[] maxSeconds = new long[CAPACITY];
    final long[] maxValues = new long[CAPACITY];
    int minHead;
    int minTail;
    int maxHead;
    int maxTail;

    void clear() {
        minHead = minTail = maxHead = maxTail = 0;
    }

    /** Adds the mark at command time {@code nowMs} and forgets marks older than {@code windowMs}. */
    void add(long nowMs, long windowMs, long markE8) {
        final long second = Math.floorDiv(nowMs, 1000);
        final long oldest = second - Math.max(1, windowMs / 1000);
        while (minTail > minHead && minValues[(minTail - 1) % CAPACITY] >= markE8) {
            minTail--;
        }
        minSeconds[minTail % CAPACITY] = second;
        minValues[minTail % CAPACITY] = markE8;
        minTail++;
        while (maxTail > maxHead && maxValues[(maxTail - 1) % CAPACITY] <= markE8) {
            maxTail--;
        }
        maxSeconds[maxTail % CAPACITY] = second;
        maxValues[maxTail % CAPACITY] = markE8;
        maxTail++;
        while (minSeconds[minHead % CAPACITY] < oldest || minTail - minHead >= CAPACITY) {
            minHead++;
        }
        while (maxSeconds[maxHead % CAPACITY] < oldest || maxTail - maxHead >= CAPACITY) {
            maxHead++;
        }
        if (minHead >= CAPACITY) {
            minHead -= CAPACITY; // same slots modulo the capacity: keeps the counters from overflowing
            minTail -= CAPACITY;
        }
        if (maxHead >= CAPACITY) {
            maxHead -= CAPACITY;
            maxTail -= CAPACITY;
        }
    }

    long min() {
        return minValues[minHead % CAPACITY];
    }

    long max() {
        return maxValues[maxHead % CAPACITY];
    }
}
