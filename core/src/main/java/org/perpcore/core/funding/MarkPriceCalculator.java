package org.perpcore.core.funding;

import java.util.Arrays;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.snapshot.SnapshotFormatException;
import org.perpcore.core.snapshot.SnapshotSink;
import org.perpcore.core.snapshot.SnapshotSource;

/**
 * The mark price of one market. Mutable, single-threaded, deterministic (a function of the sequence of calls; no
 * clock), allocation-free and exception-free after construction.
 *
 * <h2>Binance USDⓈ-M rule implemented</h2>
 * Source: "What Are Mark Price and Price Index in USDⓈ-Margined Futures?",
 * https://www.binance.com/en/support/faq/360033525071, with the change announced on 2025-09-16 and effective
 * 2025-09-18 08:01 UTC (the basis of Price 2 moved from 1 minute to 30 seconds, 30 data points, one a second; as
 * reported at https://www.btc0o0.com/en/news/22361.html):
 * <pre>
 *   mark = median(P1, P2, last price)
 *   P1   = index x (1 + last funding rate x time until next funding / funding interval)
 *   P2   = index + moving average over the window of ((best bid + best ask) / 2 - index), one sample a second
 * </pre>
 * The mark is in E8 and not rounded to the tick (Binance publishes mark prices with 8 decimals).
 *
 * <h2>Moving average on command time</h2>
 * The engine calls {@link #onTime} before each command with the state before it. Sample times are the whole
 * seconds since the epoch; a call at {@code nowMs} pushes one basis sample for every second {@code t} with
 * {@code lastMs < t <= nowMs}, all equal to the basis of the state passed (nothing changed in between). The window
 * holds the last {@code windowSeconds} samples in a ring; a jump of k seconds costs O(min(k, window)): a jump of
 * hours refills the ring once. Samples are kept as twice the basis ({@code bid + ask - 2 x index}), so the sum is
 * exact; the average is rounded half away from zero to E8.
 *
 * <h2>Choices where Binance is silent</h2>
 * <ul>
 *   <li>A second without a basis (no index, or a side of the book empty) pushes a <em>missing</em> sample: it
 *       ages out older samples but does not count in the average, which is over the valid samples of the last
 *       window (as Pionex documents for its mark: "ignore data if sampling fails",
 *       https://www.pionex.com/blog/mark-price/). With no valid sample in the window, P2 is unknown.</li>
 *   <li>No index: the mark is unknown, 0 (unless forced).</li>
 *   <li>P2 unknown or no trade yet: the missing component is replaced by P1, the index-anchored price, so the
 *       mark is {@code median(P1, P2 or P1, last or P1)}, which is P1 whenever one of P2 and last is missing. A
 *       mark must never follow a lone trade or a stale book alone.</li>
 *   <li>The time until funding in P1 is measured from the current whole second, so P1 moves at most once a second
 *       (the sampling grid; Binance publishes the mark once a second), not on every millisecond.</li>
 *   <li>Forced mark ({@code mark} command, replays of recorded marks): {@link #force} sets the mark, which then
 *       stays, whatever {@link #update} is told, until the next index tick ({@link #onIndexTick}). Sampling goes
 *       on meanwhile.</li>
 * </ul>
 *
 * <h2>Call protocol</h2>
 * <pre>{@code
 * mark.onTime(nowMs, indexE8, bestBidE8, bestAskE8);        // before each command, state before it
 * // ... the command runs; on an index command: mark.onIndexTick(); on a mark command: if (mark.force(m)) emit
 * if (mark.update(nowMs, indexE8, lastPriceE8, funding.lastFundingRateE8(), funding.nextFundingTimeMs(),
 *         funding.intervalMs())) {
 *     // emit MARK with mark.markE8()
 * }
 * }</pre>
 * {@link #update} is O(1) and may be called after every command; it must be called at least after any command
 * that changed an input or after which {@link #onTime} returned true.
 */
public final class MarkPriceCalculator {
    /** Default moving-average window: 30 s (Binance since 2025-09-18). */
    public static final int DEFAULT_WINDOW_SECONDS = 30;
    /** Longest window accepted. */
    public static final int MAX_WINDOW_SECONDS = 3_600;
    /** Basis sampling period: 1 s. */
    public static final long SAMPLE_PERIOD_MS = 1_000;
    /** Bound on one sample of twice the basis, so that a full window's sum fits a long. */
    static final long BASIS2_LIMIT_E8 = Long.MAX_VALUE / MAX_WINDOW_SECONDS;
    private static final long MISSING = Long.MIN_VALUE;

    /** Ring of twice the basis per second, E8, or {@link #MISSING}; {@code head} is the next slot written. */
    private final long[] basis2E8;
    private int head;
    private int validCount;
    private long basis2SumE8;

    private boolean started;
    private long lastMs;
    private long markE8;
    private boolean forced;

    /** A calculator with the default 30-second window. */
    public MarkPriceCalculator() {
        this(DEFAULT_WINDOW_SECONDS);
    }

    /**
     * @param windowSeconds moving-average window in seconds (one sample a second), 1 to {@link #MAX_WINDOW_SECONDS}
     * @throws IllegalArgumentException when out of range (configuration time, not the hot path)
     */
    public MarkPriceCalculator(int windowSeconds) {
        if (windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) {
            throw new IllegalArgumentException("window out of range: " + windowSeconds + " s");
        }
        basis2E8 = new long[windowSeconds];
        Arrays.fill(basis2E8, MISSING);
    }

    /**
     * Advances command time to {@code nowMs}, pushing a basis sample for each whole second crossed, computed from
     * the state passed (the state before the command at {@code nowMs}). The first call only starts the clock; a
     * call whose time is not after the previous one does nothing.
     *
     * @param indexE8   index price, 0 when unknown
     * @param bestBidE8 best bid, 0 when there are no bids
     * @param bestAskE8 best ask, 0 when there are no asks
     * @return true when at least one sample was pushed (the moving average may have moved)
     */
    public boolean onTime(long nowMs, long indexE8, long bestBidE8, long bestAskE8) {
        if (!started) {
            started = true;
            lastMs = nowMs;
            return false;
        }
        if (nowMs <= lastMs) {
            return false;
        }
        final long seconds = Math.floorDiv(nowMs, SAMPLE_PERIOD_MS) - Math.floorDiv(lastMs, SAMPLE_PERIOD_MS);
        lastMs = nowMs;
        if (seconds <= 0) {
            return false;
        }
        final long sample = basis2E8(indexE8, bestBidE8, bestAskE8);
        if (seconds >= basis2E8.length) {
            refill(sample);
        } else {
            for (int i = 0; i < (int) seconds; i++) {
                push(sample);
            }
        }
        return true;
    }

    /** Twice the basis, {@code bid + ask - 2 x index}, limited to {@code +/-} {@link #BASIS2_LIMIT_E8}; or MISSING. */
    private static long basis2E8(long indexE8, long bestBidE8, long bestAskE8) {
        if (indexE8 <= 0 || bestBidE8 <= 0 || bestAskE8 <= 0) {
            return MISSING;
        }
        final long midTimesTwoE8 = Fixed.add(bestBidE8, bestAskE8);
        final long indexTimesTwoE8 = Fixed.mul(indexE8, 2);
        if (midTimesTwoE8 == Fixed.OVERFLOW || indexTimesTwoE8 == Fixed.OVERFLOW) {
            return MISSING;
        }
        return WideMath.clamp(midTimesTwoE8 - indexTimesTwoE8, BASIS2_LIMIT_E8);
    }

    private void push(long sample) {
        final long old = basis2E8[head];
        if (old != MISSING) {
            basis2SumE8 -= old;
            validCount--;
        }
        basis2E8[head] = sample;
        if (sample != MISSING) {
            basis2SumE8 += sample;
            validCount++;
        }
        head = head + 1 == basis2E8.length ? 0 : head + 1;
    }

    /** The whole window holds {@code sample}: a jump at least as long as the window. */
    private void refill(long sample) {
        Arrays.fill(basis2E8, sample);
        head = 0;
        if (sample == MISSING) {
            validCount = 0;
            basis2SumE8 = 0;
        } else {
            validCount = basis2E8.length;
            basis2SumE8 = sample * basis2E8.length;
        }
    }

    /**
     * Recomputes the mark from the current inputs, unless it is forced.
     *
     * @param nowMs               command time
     * @param indexE8             index price, 0 when unknown (the mark is then 0)
     * @param lastPriceE8         last trade price, 0 when there has been no trade
     * @param lastFundingRateE8   the last settled funding rate ({@link FundingCalculator#lastFundingRateE8()})
     * @param nextFundingTimeMs   the next funding time ({@link FundingCalculator#nextFundingTimeMs()}); 0 if unknown
     * @param fundingIntervalMs   the funding interval
     * @return true when the mark changed
     */
    public boolean update(long nowMs, long indexE8, long lastPriceE8, long lastFundingRateE8,
                          long nextFundingTimeMs, long fundingIntervalMs) {
        if (forced) {
            return false;
        }
        final long newMarkE8 = compute(nowMs, indexE8, lastPriceE8, lastFundingRateE8, nextFundingTimeMs,
            fundingIntervalMs);
        if (newMarkE8 == markE8) {
            return false;
        }
        markE8 = newMarkE8;
        return true;
    }

    private long compute(long nowMs, long indexE8, long lastPriceE8, long lastFundingRateE8,
                         long nextFundingTimeMs, long fundingIntervalMs) {
        if (indexE8 <= 0) {
            return 0;
        }
        final long p1E8 = price1E8(indexE8, lastFundingRateE8, nextFundingTimeMs, fundingIntervalMs, nowMs);
        if (validCount == 0 || lastPriceE8 <= 0) {
            return p1E8;
        }
        final long p2E8 = Fixed.add(indexE8, movingAverageBasisE8());
        if (p2E8 == Fixed.OVERFLOW) {
            return p1E8;
        }
        return median(p1E8, p2E8, lastPriceE8);
    }

    /**
     * Forces the mark (the {@code mark} command); it stays until {@link #onIndexTick}.
     *
     * @return true when the mark changed
     */
    public boolean force(long forcedMarkE8) {
        forced = true;
        if (forcedMarkE8 == markE8) {
            return false;
        }
        markE8 = forcedMarkE8;
        return true;
    }

    /** An index tick arrived: a forced mark is released; the next {@link #update} recomputes the mark. */
    public void onIndexTick() {
        forced = false;
    }

    /**
     * Binance's Price 1: {@code index x (1 + rate x remaining / interval)} with {@code remaining} the time from the
     * current whole second to the next funding time, limited to {@code [0, interval]}; the adjustment is rounded half
     * away from zero to E8. Returns the index itself when the rate, the interval or the next funding time is
     * unknown (0) or when the result does not fit.
     */
    public static long price1E8(long indexE8, long fundingRateE8, long nextFundingTimeMs, long fundingIntervalMs,
                                long nowMs) {
        if (fundingRateE8 == 0 || fundingIntervalMs <= 0 || nextFundingTimeMs <= 0) {
            return indexE8;
        }
        final long nowSecondMs = Math.floorDiv(nowMs, SAMPLE_PERIOD_MS) * SAMPLE_PERIOD_MS;
        final long remainingMs = Math.max(0, Math.min(fundingIntervalMs, nextFundingTimeMs - nowSecondMs));
        final long rateTimesRemaining = Fixed.mul(fundingRateE8, remainingMs);
        final long denominator = Fixed.mul(Fixed.E8, fundingIntervalMs);
        final long adjustmentE8;
        if (rateTimesRemaining != Fixed.OVERFLOW && denominator != Fixed.OVERFLOW) {
            adjustmentE8 = WideMath.mulDivHalfAway(indexE8, rateTimesRemaining, denominator);
        } else {
            final long fullE8 = WideMath.mulDivHalfAway(indexE8, fundingRateE8, Fixed.E8);
            adjustmentE8 = fullE8 == Fixed.OVERFLOW
                ? Fixed.OVERFLOW
                : WideMath.mulDivHalfAway(fullE8, remainingMs, fundingIntervalMs);
        }
        if (adjustmentE8 == Fixed.OVERFLOW) {
            return indexE8;
        }
        final long p1E8 = Fixed.add(indexE8, adjustmentE8);
        return p1E8 == Fixed.OVERFLOW ? indexE8 : p1E8;
    }

    /** The middle one of three values. */
    public static long median(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** The current mark, E8; 0 while unknown. */
    public long markE8() {
        return markE8;
    }

    /** Whether the mark is forced (until the next index tick). */
    public boolean isForced() {
        return forced;
    }

    /**
     * The moving average of the basis {@code mid - index} over the valid samples of the window, E8, rounded half away
     * from zero; 0 when there is none ({@link #basisSampleCount()} is then 0).
     */
    public long movingAverageBasisE8() {
        if (validCount == 0) {
            return 0;
        }
        return WideMath.divHalfAway(basis2SumE8, 2L * validCount);
    }

    /** Valid basis samples in the window. */
    public int basisSampleCount() {
        return validCount;
    }

    public int windowSeconds() {
        return basis2E8.length;
    }

    /** Writes the whole state (the sample window included) for a snapshot; {@link #readState} restores it. */
    public void writeState(SnapshotSink out) {
        out.putInt(basis2E8.length);
        for (long sample : basis2E8) {
            out.putLong(sample);
        }
        out.putInt(head);
        out.putInt(validCount);
        out.putLong(basis2SumE8);
        out.putBoolean(started);
        out.putLong(lastMs);
        out.putLong(markE8);
        out.putBoolean(forced);
    }

    /**
     * Replaces this calculator's state with what {@link #writeState} wrote (from a calculator of the same window).
     *
     * @throws SnapshotFormatException when the window differs or the saved counts do not match the saved samples
     */
    public void readState(SnapshotSource in) {
        final int window = in.getInt();
        if (window != basis2E8.length) {
            throw new SnapshotFormatException("mark price window of " + window + " s, this calculator has "
                + basis2E8.length + " s");
        }
        int valid = 0;
        long sum = 0;
        for (int i = 0; i < window; i++) {
            final long sample = in.getLong();
            basis2E8[i] = sample;
            if (sample != MISSING) {
                valid++;
                sum += sample;
            }
        }
        head = in.getInt();
        validCount = in.getInt();
        basis2SumE8 = in.getLong();
        started = in.getBoolean();
        lastMs = in.getLong();
        markE8 = in.getLong();
        forced = in.getBoolean();
        if (head < 0 || head >= window || valid != validCount || sum != basis2SumE8) {
            throw new SnapshotFormatException("mark price window: head " + head + ", " + validCount + " valid samples"
                + " summing to " + basis2SumE8 + ", but the samples give " + valid + " summing to " + sum);
        }
    }
}
