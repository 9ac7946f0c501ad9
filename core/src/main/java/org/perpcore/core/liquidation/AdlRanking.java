package org.perpcore.core.liquidation;

import org.perpcore.core.engine.Market;
import org.perpcore.core.engine.Position;
import org.perpcore.core.num.Fixed;
import org.perpcore.core.snapshot.SnapshotFormatException;
import org.perpcore.core.snapshot.SnapshotSink;
import org.perpcore.core.snapshot.SnapshotSource;

/**
 * Auto-deleverage ranking (Binance, BitMEX, MEXC): {@code PnL% x effective leverage} for a profitable position,
 * {@code PnL% / effective leverage} for a losing one, where PnL% = unrealised PnL / entry notional and effective
 * leverage = notional at the mark / the margin balance behind the position. Highest first; ties by account id.
 * Scores are E8 fixed point; a position whose margin balance is zero or negative ranks as if its leverage were
 * unbounded. Insurance funds never rank.
 */
public final class AdlRanking {
    private final LiquidationHost host;

    private Position[] positions = new Position[64];
    private long[] scores = new long[64];
    private int[] order = new int[64];
    private int count;

    // quantile thresholds per market and side, refreshed every adlRefresh of command time
    private long[][] thresholds = new long[0][];
    private long[] computedAtMs = new long[0];

    public AdlRanking(LiquidationHost host) {
        this.host = host;
    }

    /** The ADL score of a position, E8 (see the class comment). */
    public long score(Position p) {
        final long cost = p.costE8();
        final long upnl = host.unrealizedPnlE8(p);
        final long notional = host.notionalE8(p);
        final long margin = host.adlMarginBalanceE8(p);
        if (cost <= 0 || notional <= 0) {
            return 0;
        }
        final long pct = Fixed.mulDivFloor(upnl, Fixed.E8, cost);
        if (margin <= 0) {
            return upnl >= 0 ? Long.MAX_VALUE / 2 : Long.MIN_VALUE / 2;
        }
        final long s = upnl >= 0 ? Fixed.mulDivFloor(pct, notional, margin) : Fixed.mulDivFloor(pct, margin, notional);
        return s == Fixed.OVERFLOW ? (upnl >= 0 ? Long.MAX_VALUE / 2 : Long.MIN_VALUE / 2) : s;
    }

    /**
     * Ranks the market's positions on one side (longs when {@code longs}), excluding insurance funds and the
     * account being liquidated; returns how many. {@link #at} then gives them in ADL order.
     */
    public int rank(Market m, boolean longs, int excludedAccountId) {
        collect(m, longs, excludedAccountId);
        sort(0, count - 1);
        return count;
    }

    private void collect(Market m, boolean longs, int excludedAccountId) {
        count = 0;
        final int n = host.positionCount(m);
        for (int i = 0; i < n; i++) {
            final Position p = host.positionAt(m, i);
            if ((p.sizeLots() > 0) != longs || p.account().isFund() || p.account().id() == excludedAccountId) {
                continue;
            }
            if (count == positions.length) {
                positions = java.util.Arrays.copyOf(positions, count * 2);
                scores = java.util.Arrays.copyOf(scores, count * 2);
                order = java.util.Arrays.copyOf(order, count * 2);
            }
            positions[count] = p;
            scores[count] = score(p);
            order[count] = count;
            count++;
        }
    }

    /** The {@code i}-th position of the last {@link #rank}, highest score first. */
    public Position at(int i) {
        return positions[order[i]];
    }

    /**
     * The position's ADL quantile, 1 (last to be deleveraged) to 5 (first), among the open positions on its side;
     * 0 for a flat position or a fund. Thresholds are recomputed at most every {@code adlRefresh} of command time.
     * Use a ranking instance of its own for quantiles: this reuses the arrays of {@link #rank}.
     */
    public int quantile(Position p) {
        if (p.sizeLots() == 0 || p.account().isFund()) {
            return 0;
        }
        final Market m = p.market();
        final int slot = 2 * m.id() + (p.sizeLots() > 0 ? 0 : 1);
        if (slot >= thresholds.length) {
            thresholds = java.util.Arrays.copyOf(thresholds, slot + 2);
            computedAtMs = java.util.Arrays.copyOf(computedAtMs, slot + 2);
        }
        final long now = host.nowMs();
        if (thresholds[slot] == null || now - computedAtMs[slot] >= m.adlRefreshMs()) {
            collect(m, p.sizeLots() > 0, -1);
            final int n = count;
            // only the scores at four ranks matter, not which position holds them: selecting them among the
            // scores alone gives the same values as the full ranking's order, in O(n) rather than O(n log n)
            final long[] t = thresholds[slot] == null ? new long[4] : thresholds[slot];
            int hi = n - 1;
            for (int k = 0; k < 4; k++) {
                // the score at the top 20 %, 40 %, 60 %, 80 % of the ranking (ascending position n - 1 - rank);
                // each selection leaves the positions below it holding the smaller scores, so the next one
                // searches only there
                final int at = n - 1 - Math.min(n - 1, (int) ((long) n * (k + 1) / 5));
                if (n == 0) {
                    t[k] = Long.MAX_VALUE;
                } else {
                    t[k] = select(scores, 0, hi, at);
                    hi = at;
                }
            }
            count = 0; // positions[] and scores[] no longer pair up: nothing may read this ranking
            thresholds[slot] = t;
            computedAtMs[slot] = now;
        }
        final long s = score(p);
        final long[] t = thresholds[slot];
        for (int k = 0; k < 4; k++) {
            if (s > t[k]) {
                return 5 - k;
            }
        }
        return 1;
    }

    /**
     * The value that would stand at position {@code k} of {@code a[lo..hi]} sorted ascending; rearranges that range
     * so that smaller values are left of {@code k} and larger right of it (Hoare's selection, median of three
     * pivots; a range that shrinks too slowly is sorted instead, so the worst case stays O(n log n)).
     */
    static long select(long[] a, int lo, int hi, int k) {
        int budget = 2 * (64 - Long.numberOfLeadingZeros(hi - lo + 1)) + 4;
        while (hi > lo) {
            if (budget-- == 0 || hi - lo < 16) {
                java.util.Arrays.sort(a, lo, hi + 1);
                return a[k];
            }
            final int mid = (lo + hi) >>> 1;
            final long x = a[lo];
            final long y = a[mid];
            final long z = a[hi];
            final long pivot = x < y ? (y < z ? y : Math.max(x, z)) : (x < z ? x : Math.max(y, z));
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    final long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k]; // between the two halves: equal to the pivot
            }
        }
        return a[k];
    }

    /** Quicksort of order[lo..hi] by score descending, then account id ascending: no allocation. */
    private void sort(int lo, int hi) {
        while (lo < hi) {
            final int pivot = order[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (before(order[i], pivot)) {
                    i++;
                }
                while (before(pivot, order[j])) {
                    j--;
                }
                if (i <= j) {
                    final int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                    i++;
                    j--;
                }
            }
            if (j - lo < hi - i) {
                sort(lo, j);
                lo = i;
            } else {
                sort(i, hi);
                hi = j;
            }
        }
    }

    private boolean before(int a, int b) {
        if (scores[a] != scores[b]) {
            return scores[a] > scores[b];
        }
        return positions[a].account().id() < positions[b].account().id();
    }

    /**
     * Writes the quantile thresholds and when each was computed (they are reused until {@code adlRefresh} of
     * command time has passed, so they are state). The ranking arrays are scratch and are not written.
     */
    public void writeState(SnapshotSink out) {
        out.putInt(thresholds.length);
        for (int slot = 0; slot < thresholds.length; slot++) {
            final long[] t = thresholds[slot];
            out.putBoolean(t != null);
            if (t != null) {
                for (long v : t) {
                    out.putLong(v);
                }
                out.putLong(computedAtMs[slot]);
            }
        }
    }

    /** Restores what {@link #writeState} wrote. */
    public void readState(SnapshotSource in) {
        final int slots = in.getInt();
        if (slots < 0 || slots > 1 << 20) {
            throw new SnapshotFormatException("ADL ranking: " + slots + " threshold slots");
        }
        thresholds = new long[slots][];
        computedAtMs = new long[slots];
        for (int slot = 0; slot < slots; slot++) {
            if (in.getBoolean()) {
                final long[] t = new long[4];
                for (int k = 0; k < 4; k++) {
                    t[k] = in.getLong();
                }
                thresholds[slot] = t;
                computedAtMs[slot] = in.getLong();
            }
        }
    }
}
