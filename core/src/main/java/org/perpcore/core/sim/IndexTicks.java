package org.perpcore.core.sim;

/**
 * Index prices at regular instants, as {@link PricePath#ticks} interpolates them: tick {@code i} is the index at
 * {@link #timeMs(int) timeMs(i)}, on the market's tick. Immutable.
 */
public final class IndexTicks {
    private final long[] timeMs;
    private final long[] priceE8;
    private final long stepMs;

    IndexTicks(long[] timeMs, long[] priceE8, long stepMs) {
        this.timeMs = timeMs;
        this.priceE8 = priceE8;
        this.stepMs = stepMs;
    }

    public int size() {
        return timeMs.length;
    }

    /** Milliseconds since the epoch, strictly increasing. */
    public long timeMs(int i) {
        return timeMs[i];
    }

    /** The index price, E8, a whole number of the path's ticks. */
    public long priceE8(int i) {
        return priceE8[i];
    }

    /** The spacing of the ticks within a minute. */
    public long stepMs() {
        return stepMs;
    }

    /** The index of the lowest price (the first one if it repeats). */
    public int lowest() {
        int best = 0;
        for (int i = 1; i < priceE8.length; i++) {
            if (priceE8[i] < priceE8[best]) {
                best = i;
            }
        }
        return best;
    }
}
