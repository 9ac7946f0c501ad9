package org.perpcore.gateway.postmortem;

import java.util.Arrays;

/**
 * One market's figures minute by minute, from the first command's minute to the last's: prices at the minute's
 * end (index, mark) and the mark's range within it, liquidations that started in it (count, long and short
 * notional), ADL fills, stop-order fills, and the open interest, insurance fund and funding rate as they stood at
 * its end (carried forward through minutes without a change). Money and quantities are E8.
 */
public final class MinuteSeries {
    /** Marks a value not known yet (before the first event that gives it). */
    public static final long NONE = Long.MIN_VALUE;
    private static final long MINUTE_MS = 60_000L;

    private long startMs = NONE;
    private int size;
    private long[] indexE8 = new long[0];
    private long[] markE8 = new long[0];
    private long[] markLowE8 = new long[0];
    private long[] markHighE8 = new long[0];
    private long[] fundingRateE8 = new long[0];
    private long[] liqLongE8 = new long[0];
    private long[] liqShortE8 = new long[0];
    private int[] liquidations = new int[0];
    private int[] adlFills = new int[0];
    private long[] adlNotionalE8 = new long[0];
    private long[] stopSellE8 = new long[0];
    private long[] stopBuyE8 = new long[0];
    private long[] openInterestE8 = new long[0];
    private long[] fundE8 = new long[0];
    private boolean filled;

    /** The minute (index) of {@code timeMs}, growing the series as needed. */
    int minute(long timeMs) {
        final long minuteStart = Math.floorDiv(timeMs, MINUTE_MS) * MINUTE_MS;
        if (startMs == NONE) {
            startMs = minuteStart;
        }
        final int m = (int) Math.max(0, (minuteStart - startMs) / MINUTE_MS);
        if (m >= size) {
            grow(m + 1);
        }
        return m;
    }

    private void grow(int n) {
        if (n > indexE8.length) {
            final int cap = Math.max(n, indexE8.length * 2 + 16);
            indexE8 = grown(indexE8, cap);
            markE8 = grown(markE8, cap);
            markLowE8 = grown(markLowE8, cap);
            markHighE8 = grown(markHighE8, cap);
            fundingRateE8 = grown(fundingRateE8, cap);
            openInterestE8 = grown(openInterestE8, cap);
            fundE8 = grown(fundE8, cap);
            liqLongE8 = Arrays.copyOf(liqLongE8, cap);
            liqShortE8 = Arrays.copyOf(liqShortE8, cap);
            liquidations = Arrays.copyOf(liquidations, cap);
            adlFills = Arrays.copyOf(adlFills, cap);
            adlNotionalE8 = Arrays.copyOf(adlNotionalE8, cap);
            stopSellE8 = Arrays.copyOf(stopSellE8, cap);
            stopBuyE8 = Arrays.copyOf(stopBuyE8, cap);
        }
        size = n;
    }

    private static long[] grown(long[] a, int cap) {
        final int old = a.length;
        final long[] b = Arrays.copyOf(a, cap);
        Arrays.fill(b, old, cap, NONE);
        return b;
    }

    void mark(long timeMs, long markE8, long indexE8, long fundingRateE8) {
        final int m = minute(timeMs);
        this.markE8[m] = markE8;
        this.indexE8[m] = indexE8;
        this.fundingRateE8[m] = fundingRateE8;
        if (markLowE8[m] == NONE || markE8 < markLowE8[m]) {
            markLowE8[m] = markE8;
        }
        if (markHighE8[m] == NONE || markE8 > markHighE8[m]) {
            markHighE8[m] = markE8;
        }
    }

    void liquidation(long timeMs, boolean longPosition, long notionalE8) {
        final int m = minute(timeMs);
        liquidations[m]++;
        if (longPosition) {
            liqLongE8[m] += notionalE8;
        } else {
            liqShortE8[m] += notionalE8;
        }
    }

    void adl(long timeMs, long notionalE8) {
        final int m = minute(timeMs);
        adlFills[m]++;
        adlNotionalE8[m] += notionalE8;
    }

    void stopFill(long timeMs, boolean sell, long notionalE8) {
        final int m = minute(timeMs);
        if (sell) {
            stopSellE8[m] += notionalE8;
        } else {
            stopBuyE8[m] += notionalE8;
        }
    }

    void openInterest(long timeMs, long qtyE8) {
        openInterestE8[minute(timeMs)] = qtyE8;
    }

    void fund(long timeMs, long balanceE8) {
        fundE8[minute(timeMs)] = balanceE8;
    }

    /** Carries the end-of-minute values forward through the minutes that did not change them. Idempotent. */
    void fill() {
        if (filled) {
            return;
        }
        filled = true;
        for (long[] a : new long[][] {indexE8, markE8, fundingRateE8, openInterestE8, fundE8}) {
            for (int m = 1; m < size; m++) {
                if (a[m] == NONE) {
                    a[m] = a[m - 1];
                }
            }
        }
        for (int m = 0; m < size; m++) {
            if (markLowE8[m] == NONE) {
                markLowE8[m] = markE8[m];
                markHighE8[m] = markE8[m];
            }
        }
    }

    public int size() {
        return size;
    }

    /** Start of minute 0, ms (NONE for an empty series). */
    public long startMs() {
        return startMs;
    }

    public long timeMs(int m) {
        return startMs + m * MINUTE_MS;
    }

    public long indexE8(int m) {
        return indexE8[m];
    }

    public long markE8(int m) {
        return markE8[m];
    }

    public long markLowE8(int m) {
        return markLowE8[m];
    }

    public long markHighE8(int m) {
        return markHighE8[m];
    }

    public long fundingRateE8(int m) {
        return fundingRateE8[m];
    }

    public int liquidations(int m) {
        return liquidations[m];
    }

    public long liquidatedLongE8(int m) {
        return liqLongE8[m];
    }

    public long liquidatedShortE8(int m) {
        return liqShortE8[m];
    }

    public int adlFills(int m) {
        return adlFills[m];
    }

    public long adlNotionalE8(int m) {
        return adlNotionalE8[m];
    }

    public long stopSellE8(int m) {
        return stopSellE8[m];
    }

    public long stopBuyE8(int m) {
        return stopBuyE8[m];
    }

    /** Open interest (one side, base quantity E8) at the minute's end. */
    public long openInterestQtyE8(int m) {
        return openInterestE8[m];
    }

    /** The insurance fund's equity at the minute's end (NONE before its first event). */
    public long fundE8(int m) {
        return fundE8[m];
    }
}
